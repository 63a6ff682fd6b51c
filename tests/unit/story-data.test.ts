import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTCOMES, DEPARTMENTS } from '$lib/story/dataset';
import { storyEngine } from './helpers';

// The article ships beside the data (data/source-article.txt), a verbatim copy of the seed.
const article = readFileSync(new URL('../../data/source-article.txt', import.meta.url), 'utf8');
// Several excerpts of one row are joined by this separator (the article never uses it).
const EXCERPT_SEPARATOR = ' … ';

describe('story dataset provenance', () => {
	it('the separator never occurs in the article', () => {
		expect(article.includes('…')).toBe(false);
	});

	it('every source quote of a call occurs verbatim in the article', async () => {
		const engine = await storyEngine();
		const rows = await engine.query<{ id: string; source_quote: string }>({
			sql: 'SELECT id, source_quote FROM calls',
			params: []
		});
		expect(rows.length).toBe(7);
		for (const row of rows) {
			for (const excerpt of row.source_quote.split(EXCERPT_SEPARATOR)) {
				expect(excerpt.length, row.id).toBeGreaterThan(5);
				expect(article.includes(excerpt), `${row.id}: ${excerpt}`).toBe(true);
			}
		}
	});

	it('every fact quote occurs verbatim in the article', async () => {
		const engine = await storyEngine();
		const rows = await engine.query<{ id: string; quote: string }>({
			sql: 'SELECT id, quote FROM facts',
			params: []
		});
		expect(rows.length).toBeGreaterThanOrEqual(4);
		for (const row of rows) expect(article.includes(row.quote), row.id).toBe(true);
	});

	it('ids are unique across calls and facts', async () => {
		const engine = await storyEngine();
		const [row] = await engine.query<{ n: number; distinct_ids: number }>({
			sql: `SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS distinct_ids
			      FROM (SELECT id FROM calls UNION ALL SELECT id FROM facts)`,
			params: []
		});
		expect(row!.distinct_ids).toBe(row!.n);
	});

	it('columns are typed, and codes come from the closed sets', async () => {
		const engine = await storyEngine();
		const types = await engine.query<{ column_name: string; data_type: string }>({
			sql: `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'calls'`,
			params: []
		});
		const typeOf = Object.fromEntries(types.map((t) => [t.column_name, t.data_type]));
		expect(typeOf.start_time).toBe('TIMESTAMP');
		expect(typeOf.in_quake_seconds).toBe('INTEGER');
		expect(typeOf.in_progress_at_onset).toBe('BOOLEAN');
		const codes = await engine.query<{ outcome: string; department: string; record_type: string }>({
			sql: 'SELECT DISTINCT outcome, department, record_type FROM calls',
			params: []
		});
		for (const c of codes) {
			expect(OUTCOMES).toContain(c.outcome);
			expect(DEPARTMENTS).toContain(c.department);
			expect(['call', 'episode']).toContain(c.record_type);
		}
	});

	it('stated durations agree with stated times (C01: ends 14:31:33 after 3 min 33 s in the quake)', async () => {
		const engine = await storyEngine();
		const rows = await engine.query<{ id: string; gap: number }>({
			sql: `SELECT id, (date_diff('second', TIMESTAMP '2008-05-12 14:28:00', end_time) - in_quake_seconds)::INTEGER AS gap
			      FROM calls WHERE end_time IS NOT NULL AND in_quake_seconds IS NOT NULL AND (start_time IS NULL OR start_time <= TIMESTAMP '2008-05-12 14:28:00')`,
			params: []
		});
		expect(rows.map((r) => r.id)).toEqual(['C01', 'C02']);
		for (const row of rows) expect(row.gap, row.id).toBe(0);
	});

	it('empty cells stay empty (NULL), never zero or guessed', async () => {
		const engine = await storyEngine();
		const [row] = await engine.query<{ start_time: unknown; in_quake_seconds: unknown; business_type: unknown }>({
			sql: `SELECT start_time, in_quake_seconds, business_type FROM calls WHERE id = 'C05'`,
			params: []
		});
		expect(row).toEqual({ start_time: null, in_quake_seconds: null, business_type: null });
	});
});
