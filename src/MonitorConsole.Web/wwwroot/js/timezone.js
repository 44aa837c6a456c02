// The browser's IANA time zone (e.g. "Europe/Berlin"), for pages that let people pick times in their own zone.
export function zone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
