// The console's light/dark choice, remembered in this browser. Nothing stored means "follow the system".
window.monitorConsoleTheme = {
    saved: () => localStorage.getItem("monitorconsole-theme"),
    save: (mode) => localStorage.setItem("monitorconsole-theme", mode),
};
