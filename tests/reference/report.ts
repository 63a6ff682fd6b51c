import { readFileSync } from 'node:fs';
import { splitCsvLine } from './common';

/**
 * The report fixture (`tests/fixtures/imports/report-two-weeks.csv`, the generator's CSV
 * layout) read row by row, and the report's figures by definition (T = 20 s, S = 5 s,
 * abandons counted; every call is offered; hold and wrap-up are empty, so AHT is talk).
 */
export interface ReportCall {
	queue: string;
	agent: string;
	arrival: string;
	wait: number;
	talk: number | null;
	outcome: string;
}

export const REPORT_FIXTURE = 'tests/fixtures/imports/report-two-weeks.csv';

export function reportCalls(path = REPORT_FIXTURE): ReportCall[] {
	return readFileSync(path, 'utf8')
		.trim()
		.split('\n')
		.slice(1)
		.map((line) => {
			const f = splitCsvLine(line);
			return { queue: f[1]!, agent: f[2]!, arrival: f[3]!, wait: Number(f[6]), talk: f[7] ? Number(f[7]) : null, outcome: f[10]! };
		});
}

/** Calls arriving on the days `from`…`to` (both included). */
export function callsOnDays(calls: ReportCall[], from: string, to: string): ReportCall[] {
	const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
	return calls.filter((c) => c.arrival >= `${from} 00:00:00` && c.arrival < `${next} 00:00:00`);
}

export function reportFigures(list: ReportCall[]) {
	const answered = list.filter((c) => c.outcome === 'answered');
	const within = answered.filter((c) => c.wait <= 20).length;
	const abandoned = list.filter((c) => c.outcome === 'abandoned');
	const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	return {
		volume: list.length,
		answered: answered.length,
		within,
		abandoned: abandoned.length,
		short: abandoned.filter((c) => c.wait < 5).length,
		sl: within / list.length,
		asa: mean(answered.map((c) => c.wait)),
		aht: mean(answered.map((c) => c.talk!)),
		abandonRate: abandoned.length / list.length
	};
}
