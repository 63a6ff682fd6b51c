/**
 * A queue_log loaded into a store (`npm run load`) keeps its agent events as an import in the
 * app does: the `agentEvents` view asked of the store gives the rows the in-memory import gives,
 * and a second load appends its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIntoStore } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { localViews } from '$lib/query/named-views';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { viewSettings } from '$lib/metrics/views/spec';
import type { Row } from '$lib/engine/types';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import { fixture } from './import-helpers';

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-store-agents-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = new TextDecoder().decode(fixture('queue_log')).split('\n').filter(Boolean);

/** The agents' rows of the fixture as the plain file says them: every line naming an agent, time shifted by the offset. */
const naming = (part: string[]) => part.filter((l) => !['NONE', ''].includes(l.split('|')[3]!.trim())).map((l) => Number(l.split('|')[0]));

describe('agent events in a store', () => {
	it('are kept by a load and read by the agentEvents view, each load its own rows', async () => {
		const store = join(dir, 'agents.duckdb');
		const half = Math.floor(lines.length / 2);
		const files = [lines.slice(0, half), lines.slice(half)].map((part, i) => {
			const file = join(dir, `queue_log.${i}`);
			writeFileSync(file, part.join('\n') + '\n');
			return file;
		});
		let id = '';
		for (const file of files) {
			const writer = await openStore(store, { readOnly: false });
			try {
				const outcome = await loadIntoStore(writer.engine, [file], 'agents', (paths, table) =>
					importFromDisk(writer.engine, importSettings({ 'utc-offset': '0' }, paths), table)
				);
				id = outcome.dataset.id;
			} finally {
				writer.close();
			}
		}
		const reader = await openStore(store, { readOnly: true });
		try {
			const rows = (await localViews(
				(query) => reader.engine.query<Row>(query),
				id
			)({ dataset: id, view: 'agentEvents', filter: EMPTY_FILTER, settings: viewSettings(DEFAULT_SETTINGS) })) as { t: number }[];
			const expected = [...naming(lines.slice(0, Math.floor(lines.length / 2))), ...naming(lines.slice(Math.floor(lines.length / 2)))].sort((a, b) => a - b);
			expect(expected.length).toBeGreaterThan(0);
			expect(rows.map((r) => r.t)).toEqual(expected);
		} finally {
			reader.close();
		}
	}, 120_000);
});
