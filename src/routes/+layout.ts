// A static single-page app: every page is an HTML shell, and the data is queried in
// the browser (the query string, which holds the filters, is unknown at build time).
export const prerender = true;
export const ssr = false;
