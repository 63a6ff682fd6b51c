// A static site: every page is prerendered at build time. The story pages are rendered with
// their build-time answers (see `snapshot/`), so the first KPIs are in the HTML itself; the
// query string (the filters) is unknown at build time and is applied once the app starts.
export const prerender = true;
