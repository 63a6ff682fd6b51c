// Built in the browser: the report's data lives in the browser (imported datasets).
export const ssr = false;
