import { beforeAll, describe, expect, it } from 'vitest';
import { importFixtures } from './import-helpers';
import { bankDay, runRows } from './bank-day';
import { refBank } from '../reference/bank';
import type { RefCall } from '../reference/common';
import { DEFAULT_SETTINGS, SL_VARIANTS, groupQuery, type ServiceRow } from '$lib/metrics/service';
import { abandonFraction, isSmallSample, percentCell, slFraction } from '$lib/metrics/fractions';
import { agentColumns, incidentColumns, serviceMetricColumns } from '$lib/export/service-columns';
import { toCsv } from '$lib/export/csv';
import { EMPTY_FILTER } from '$lib/filters/filter';

const run = runRows;

const LATIN = /[A-Za-z]/;
const CJK = /[\u2e80-\uffef]/;

describe('rates beside the fractions they are computed from (a real bank day, per queue)', () => {
	let table = '';
	let calls: RefCall[] = [];
	beforeAll(async () => {
		const day = bankDay();
		table = (await importFixtures([['bank-day.txt', day]])).table;
		calls = refBank(day).calls;
	}, 60_000);

	it.each(SL_VARIANTS)('abandons %s: the shown fraction is the rate, and its counts are the calls row by row', async (variant) => {
		const settings = { ...DEFAULT_SETTINGS, variant };
		const rows = (await run(groupQuery(table, settings, EMPTY_FILTER, 'queue'))) as unknown as (ServiceRow & { key: string })[];
		expect(rows.length).toBeGreaterThan(1);
		for (const row of rows) {
			const mine = calls.filter((c) => (c.queue ?? '') === row.key);
			const answered = mine.filter((c) => c.outcome === 'answered');
			const within = answered.filter((c) => (c.wait_s ?? 0) <= settings.thresholdS).length;
			const offered = mine.filter((c) => c.outcome !== 'other').length;
			const abandoned = mine.filter((c) => c.outcome === 'abandoned');
			const short = abandoned.filter((c) => (c.wait_s ?? 0) < settings.shortAbandonS).length;
			const slDen = { count: offered, exclude: answered.length, exclude_short: offered - short }[variant];
			const sl = slFraction(row, variant);
			expect(sl).toEqual({ num: within, den: slDen });
			if (sl.den > 0) expect(Number(row.service_level)).toBeCloseTo(sl.num / sl.den, 12);
			const ab = abandonFraction(row, variant);
			const abNum = variant === 'exclude_short' ? abandoned.length - short : abandoned.length;
			const abDen = variant === 'exclude_short' ? offered - short : offered;
			expect(ab).toEqual({ num: abNum, den: abDen });
			if (ab.den > 0) expect(Number(row.abandon_rate)).toBeCloseTo(ab.num / ab.den, 12);
		}
	});

	it('the per-agent view has answered calls only, and those without an agent are one row', async () => {
		const rows = await run(groupQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER, 'agent'));
		const answered = calls.filter((c) => c.outcome === 'answered');
		const none = answered.filter((c) => c.agent == null).length;
		expect(none).toBeGreaterThan(0); // NO_SERVER rows
		expect(rows.find((r) => r.key === '')?.answered).toBe(none);
		expect(rows.reduce((n, r) => n + Number(r.answered), 0)).toBe(answered.length);
		expect(rows.every((r) => Number(r.abandoned) === 0)).toBe(true);
		const headers = agentColumns('zh-CN', DEFAULT_SETTINGS).map((c) => c.header);
		expect(headers.join()).not.toMatch(/放弃/);
		const csv = toCsv(rows as never, agentColumns('zh-CN', DEFAULT_SETTINGS));
		expect(csv).toContain('未记录座席');
		expect(toCsv(rows as never, agentColumns('en', DEFAULT_SETTINGS))).toContain('no agent recorded');
	});
});

describe('small samples', () => {
	it('a rate from fewer than the minimum count is small; none from no calls (there is no rate)', () => {
		expect(isSmallSample(16, 30)).toBe(true);
		expect(isSmallSample(3, 30)).toBe(true);
		expect(isSmallSample(30, 30)).toBe(false);
		expect(isSmallSample(0, 30)).toBe(false);
		expect(isSmallSample(29, 10)).toBe(false);
	});

	it('the CSV marks small rates in a column of its own', () => {
		const row = {
			key: 'q',
			volume: 20,
			offered: 16,
			answered: 12,
			abandoned: 4,
			short_abandoned: 0,
			unanswered: 0,
			answered_within: 12,
			service_level: 0.75,
			asa_s: 3,
			aht_s: 60,
			abandon_rate: 0.25
		};
		const big = { ...row, key: 'r', offered: 1600, answered: 1200, abandoned: 400, answered_within: 1200 };
		const csv = toCsv([row, big], serviceMetricColumns('en', 'Queue', DEFAULT_SETTINGS, 30))
			.slice(1)
			.split('\r\n');
		const header = csv[0]!.split(',');
		const small = header.indexOf('Service level: small sample (under 30 calls)');
		expect(small).toBeGreaterThan(0);
		expect(csv[1]!.split(',')[small]).toBe('yes');
		expect(csv[2]!.split(',')[small]).toBe('');
	});
});

describe('tables and CSV in the chosen language, rates as percentages', () => {
	const row = {
		key: 'q',
		volume: 1700,
		offered: 1644,
		answered: 1400,
		abandoned: 244,
		short_abandoned: 30,
		unanswered: 0,
		answered_within: 314,
		service_level: 314 / 1644,
		asa_s: 40.04,
		aht_s: 200.3,
		abandon_rate: 244 / 1644
	};

	it('every header is Chinese in the Chinese UI and English in the English one', () => {
		const zh = [
			...serviceMetricColumns('zh-CN', '部门/队列', DEFAULT_SETTINGS, 30),
			...agentColumns('zh-CN', DEFAULT_SETTINGS),
			...incidentColumns('zh-CN', true),
			...incidentColumns('zh-CN', false)
		].map((c) => c.header);
		for (const h of zh) expect(h, h).not.toMatch(LATIN);
		const en = [...serviceMetricColumns('en', 'Queue', DEFAULT_SETTINGS, 30), ...agentColumns('en', DEFAULT_SETTINGS), ...incidentColumns('en', true)].map(
			(c) => c.header
		);
		for (const h of en) expect(h, h).not.toMatch(CJK);
	});

	it('rates read as percentages in the table; the CSV also keeps the share of 1', () => {
		const columns = serviceMetricColumns('zh-CN', '部门/队列', DEFAULT_SETTINGS, 30);
		const pct = columns.find((c) => c.key === 'service_level_pct')!;
		expect(pct.value(row)).toBe(Number(((314 / 1644) * 100).toFixed(1))); // 19.1
		expect(pct.csvOnly).toBeFalsy();
		const share = columns.find((c) => c.key === 'service_level')!;
		expect(share.csvOnly).toBe(true);
		expect(share.value(row)).toBeCloseTo(314 / 1644);
		expect(columns.find((c) => c.key === 'sl_denominator')!.value(row)).toBe(1644);
		expect(percentCell(null)).toBeNull();
	});
});
