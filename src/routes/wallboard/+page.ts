// Live data from the server that serves the page: nothing to build ahead.
export const ssr = false;
