// Built entirely in the browser: this page's data lives in the browser (imported datasets).
export const ssr = false;
