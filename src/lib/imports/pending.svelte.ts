/** Files dropped on any page, handed to the Import page (files cannot travel in a URL). */
export const pending = $state({ files: [] as File[] });
