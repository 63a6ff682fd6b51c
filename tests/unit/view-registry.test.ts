import { beforeAll, describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import type { Query, Row } from '$lib/engine/types';
import { localViews } from '$lib/query/named-views';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';
import { DEFAULT_SETTINGS, waitReachQuery } from '$lib/metrics/service';
import {
	askable,
	neededView,
	QUEUE_LOG_VIEWS,
	renderView,
	VIEW_NAMES,
	VIEWS,
	type NamedViewRequest,
	type ViewName,
	type ViewRows
} from '$lib/metrics/views/registry';
import { viewSettings } from '$lib/metrics/views/spec';

const request = (view: ViewName, onset: string | null = '2024-03-01 14:28:00'): NamedViewRequest => ({
	dataset: 'calls',
	view,
	filter: EMPTY_FILTER,
	settings: viewSettings(DEFAULT_SETTINGS, { interval: 60, onset, end: null })
});

describe('the view registry', () => {
	it('names every view once, and a view it needs is one of them', () => {
		expect(new Set(VIEW_NAMES).size).toBe(Object.keys(VIEWS).length);
		for (const name of VIEW_NAMES) {
			const needed = neededView(name);
			if (needed) expect(VIEW_NAMES, name).toContain(needed);
		}
		expect(neededView('waits')).toBe('waitReach');
		expect(neededView('afterOnset')).toBe('incident');
	});

	it('refuses the incident views without an onset, and only them', () => {
		const windowed = VIEW_NAMES.filter((name) => !askable(request(name, null)));
		expect(windowed.sort()).toEqual(['afterOnset', 'incident', 'incidentAgents', 'incidentQueues']);
	});

	it('renders every view in both dialects, with values inlined for ClickHouse', () => {
		for (const name of VIEW_NAMES)
			for (const d of [DUCKDB, CLICKHOUSE]) {
				const query = renderView(request(name), 'calls', d, [{ reach_s: 40, reach_after_onset_s: 300 }]);
				expect(query.sql, `${name} ${d.id}`).toMatch(/SELECT/);
				if (d === CLICKHOUSE) expect(query.params, name).toEqual([]);
				else expect(query.sql.split('?').length - 1, name).toBe(query.params.length);
			}
	});

	it('asks the view a view needs first, on an engine that takes SQL', async () => {
		const asked: Query[] = [];
		const ask = async (query: Query): Promise<Row[]> => {
			asked.push(query);
			return asked.length === 1 ? [{ reach_s: 40 }] : [];
		};
		await localViews(ask, 'calls')(request('waits'));
		expect(asked).toHaveLength(2);
		expect(asked[0]).toEqual(waitReachQuery('calls'));
		// The histogram's bins reach the answered 40 s (T 20 s × 1.5 = 30 s is less): 2-second bins up to 42 s.
		expect(asked[1]).toEqual(renderView(request('waits'), 'calls', DUCKDB, [{ reach_s: 40 }]));
		expect(asked[1]!.params).toContain(42);
	});
});

/** The columns each view's row type declares (`metrics/views/rows.ts`), as the type checker allows them. */
const SERVICE = [
	'volume',
	'offered',
	'answered',
	'abandoned',
	'short_abandoned',
	'unanswered',
	'answered_within',
	'service_level',
	'asa_s',
	'aht_s',
	'abandon_rate'
] as const;
const INCIDENT = [
	'in_progress',
	'in_service',
	'completed',
	'still_in_service',
	'interrupted',
	'waiting',
	'waiting_answered',
	'ended_early',
	'completed_share',
	'median_after_onset_s',
	'max_after_onset_s',
	'long_share',
	'reach_after_onset_s'
] as const;
const COLUMNS: { [N in ViewName]: readonly (keyof ViewRows[N])[] } = {
	summary: SERVICE,
	intervals: ['key', ...SERVICE],
	queues: ['key', ...SERVICE],
	agents: ['key', ...SERVICE],
	reportQueues: ['key', ...SERVICE],
	reportAgents: ['key', ...SERVICE],
	waits: ['bin_start', 'bin_end', 'answered', 'abandoned'],
	waitReach: ['reach_s'],
	options: ['field', 'value', 'n'],
	incident: INCIDENT,
	incidentQueues: ['key', ...INCIDENT],
	incidentAgents: ['key', ...INCIDENT],
	afterOnset: ['bin_start', 'bin_end', 'calls'],
	staffingLoad: ['key', 'offered', 'answered', 'abandoned', 'aht_s', 'handled', 'wait_sum_s', 'agents_seen', 'agents_busy'],
	agentEvents: ['t', 'call_id', 'queue', 'agent', 'event', 'data1', 'data2', 'data3', 'data4', 'data5'],
	callbacks: ['caller', 'arrival', 'queue', 'wait_s', 'later_calls', 'next_call', 'got_through', 'called_back', 'resolved'],
	repeatCallers: ['calls', 'with_number', 'repeated_24h', 'repeated_7d', 'repeat_rate_24h', 'repeat_rate_7d']
};

describe('each view answers the row its type declares', () => {
	let table = '';
	beforeAll(async () => {
		table = (await importFixtures(['mapped-utf8.csv'])).table;
		// Callers' numbers (the file has none), three callers taking turns, for the caller views.
		await (await engine()).exec(`UPDATE ${table} SET caller = '1380000000' || CAST(rowid % 3 AS VARCHAR)`);
	}, 180_000);

	it('every view, asked by name of DuckDB, has exactly the declared columns, with numbers as numbers', async () => {
		const db = await engine();
		const ask = localViews((query) => db.query(query), table);
		// The agent events are a queue_log's: asked of one below.
		for (const name of VIEW_NAMES.filter((n) => !(QUEUE_LOG_VIEWS as readonly string[]).includes(n))) {
			const rows = await ask({ ...request(name, '2024-03-04 14:28:00'), dataset: table });
			expect(rows.length, name).toBeGreaterThan(0);
			const row: object = rows[0]!;
			expect(Object.keys(row).sort(), name).toEqual([...COLUMNS[name]].map(String).sort());
			for (const [column, value] of Object.entries(row)) if (value !== null) expect(['number', 'string'], `${name}.${column}`).toContain(typeof value);
		}
	});

	it('a queue_log dataset answers the agent events, with the declared columns', async () => {
		const db = await engine();
		const queueLog = (await importFixtures(['queue_log'], { utcOffsetSeconds: 0 })).table;
		for (const name of QUEUE_LOG_VIEWS) {
			const rows = await localViews((query) => db.query(query), queueLog)({ ...request(name), dataset: queueLog });
			expect(rows.length, name).toBeGreaterThan(0);
			expect(Object.keys(rows[0]!).sort(), name).toEqual([...COLUMNS[name]].map(String).sort());
			expect(typeof (rows[0] as { t?: unknown }).t).toBe('number');
		}
	});
});
