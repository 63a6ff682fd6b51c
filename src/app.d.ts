// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface PageState {
			/** The query string of a history entry made by a filter change (`filters/address.svelte.ts`). */
			search?: string;
		}
	}
}

export {};
