import type { IncomingMessage } from 'node:http';

/** Whether the one asking may read a dataset (named by its id and name). */
export type DatasetCheck = (dataset: { id: string; name: string }) => boolean;

/**
 * What the API asks of every request before answering it: who asks and which datasets they may
 * read, and whether they may see callers' numbers in full (`unmask`). With sign-in, a request without a live session is refused here (401, `RequestError`).
 */
export interface Access {
	check(request: IncomingMessage): { user: string | null; may: DatasetCheck; unmask: boolean };
}

/** No sign-in (`serve` on loopback without --users): every dataset, as before sign-in existed. */
export const OPEN_ACCESS: Access = { check: () => ({ user: null, may: () => true, unmask: false }) };
