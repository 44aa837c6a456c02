// The browser's IANA time zone, so the console shows times where its reader is.
export function zone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
}
