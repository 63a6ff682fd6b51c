import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { engine } from './import-helpers';
import type { Query } from '$lib/engine/types';

/** One day (1 Feb 1999) of the real bank data in tests/fixtures/real: its header and that day's rows. */
export function bankDay(): string {
	const text = readFileSync(fileURLToPath(new URL('../fixtures/real/bank-feb1999.txt', import.meta.url)), 'latin1');
	const lines = text.split('\r\n');
	return [lines[0], ...lines.filter((l) => l.split('\t')[5] === '990201')].join('\r\n') + '\r\n';
}

/** A query's rows on the shared engine, counts as plain numbers. */
export async function runRows(query: Query): Promise<Record<string, unknown>[]> {
	const rows = await (await engine()).query(query);
	return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}
