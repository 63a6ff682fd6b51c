import { describe, expect, it } from 'vitest';
import type { Query, Row } from '$lib/engine/types';
import { localViews } from '$lib/query/named-views';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';
import { DEFAULT_SETTINGS, waitReachQuery } from '$lib/metrics/service';
import { askable, neededView, renderView, VIEW_NAMES, VIEWS, type NamedViewRequest, type ViewName } from '$lib/metrics/views/registry';
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
