import { yieldToPage } from '$lib/yield-to-page';
import type { StaffingLoadRow } from './staffing-load';
import type { SlVariant } from './service';
import {
	erlangA,
	erlangCAsa,
	erlangCServiceLevel,
	estimatePatience,
	offeredLoad,
	requiredAgentsErlangA,
	requiredAgentsErlangC,
	type IntervalLoad,
	type Patience
} from './staffing';

export interface StaffingSettings {
	/** Service-level goal as a share (0.8 for 80/20). */
	goal: number;
	thresholdS: number;
	shortAbandonS: number;
	variant: SlVariant;
	/** Length of one interval, seconds. */
	intervalS: number;
}

/** One interval: what the formulas say it needed beside the agents the data shows. */
export interface StaffedInterval {
	key: string;
	offered: number;
	/** AHT the formulas used: the interval's own, or the pooled one when it answered no call. */
	aht_s: number | null;
	load_erlangs: number | null;
	agents_seen: number;
	agents_busy: number;
	/** Erlang C: fewest agents for the goal; its ASA with them; its service level with the agents seen. */
	needed_c: number | null;
	asa_c_s: number | null;
	sl_c_seen: number | null;
	/** Erlang A (with the pooled patience): fewest agents for the goal; P(abandon) with them. */
	needed_a: number | null;
	abandon_a: number | null;
}

export interface StaffingPlan {
	intervals: StaffedInterval[];
	/** Mean patience over all the intervals (Σ wait / Σ abandons), null without abandons. */
	patience: Patience | null;
	pooledAhtS: number | null;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Each interval's staffing from its load row. Patience is estimated once over every interval
 * shown (Σ wait / Σ abandons, `estimatePatience`): a single hour has too few abandons for its
 * own. An interval that answered no call (so has no AHT) takes the pooled AHT.
 */
export function staffIntervals(rows: StaffingLoadRow[], settings: StaffingSettings): StaffingPlan {
	const { staff, patience, pooledAhtS } = planner(rows, settings);
	return { intervals: rows.map(staff), patience, pooledAhtS };
}

/**
 * The same plan, computed a slice of intervals at a time between tasks: Erlang A for 1,200 hourly
 * intervals took 630–900 ms of the page's thread at 1,000,000 calls, in one task, at each filter
 * change. Resolves to null when `signal` aborts (a newer filter's load arrived).
 */
export async function staffIntervalsInSlices(
	rows: StaffingLoadRow[],
	settings: StaffingSettings,
	signal: AbortSignal,
	slice = 40
): Promise<StaffingPlan | null> {
	const { staff, patience, pooledAhtS } = planner(rows, settings);
	const intervals: StaffedInterval[] = [];
	for (let i = 0; i < rows.length; i += slice) {
		if (i > 0) await yieldToPage();
		if (signal.aborted) return null;
		for (const r of rows.slice(i, i + slice)) intervals.push(staff(r));
	}
	return signal.aborted ? null : { intervals, patience, pooledAhtS };
}

/** What every interval's plan shares (the pooled AHT and the patience), and the plan of one. */
function planner(rows: StaffingLoadRow[], settings: StaffingSettings) {
	let handled = 0;
	let handleSum = 0;
	let abandons = 0;
	let waitSum = 0;
	for (const r of rows) {
		const n = Number(r.handled);
		if (r.aht_s != null && n > 0) {
			handled += n;
			handleSum += Number(r.aht_s) * n;
		}
		abandons += Number(r.abandoned);
		waitSum += Number(r.wait_sum_s);
	}
	const pooledAhtS = handled > 0 ? handleSum / handled : null;
	const patience = estimatePatience(abandons, waitSum);
	const target = { level: settings.goal, thresholdS: settings.thresholdS };
	const staff = (r: StaffingLoadRow): StaffedInterval => {
		const offered = Number(r.offered);
		const aht = r.aht_s != null && Number(r.aht_s) > 0 ? Number(r.aht_s) : pooledAhtS;
		const seen = Number(r.agents_seen);
		const base = { key: r.key, offered, aht_s: aht, agents_seen: seen, agents_busy: Number(r.agents_busy) };
		if (aht == null || !(aht > 0)) return { ...base, load_erlangs: null, needed_c: null, asa_c_s: null, sl_c_seen: null, needed_a: null, abandon_a: null };
		const load: IntervalLoad = { calls: offered, intervalS: settings.intervalS, ahtS: aht };
		const neededC = requiredAgentsErlangC(load, target);
		const neededA = patience ? requiredAgentsErlangA(load, patience, target, settings.variant, settings.shortAbandonS) : null;
		return {
			...base,
			load_erlangs: offeredLoad(load),
			needed_c: neededC,
			asa_c_s: neededC == null ? null : finite(erlangCAsa(neededC, load)),
			sl_c_seen: erlangCServiceLevel(seen, load, settings.thresholdS),
			needed_a: neededA,
			abandon_a: neededA == null || !patience ? null : erlangA(neededA, load, patience, settings.thresholdS, settings.shortAbandonS).abandon
		};
	};
	return { staff, patience, pooledAhtS };
}

/** Agents short of what Erlang C needed (needed − seen). */
export const shortfall = (i: StaffedInterval) => (i.needed_c ?? 0) - i.agents_seen;

/** The intervals short of agents, most short first (the busier first on a tie). */
export function shortIntervals(intervals: StaffedInterval[]): StaffedInterval[] {
	return intervals
		.filter((i) => i.needed_c != null && shortfall(i) > 0)
		.sort((a, b) => shortfall(b) - shortfall(a) || b.offered - a.offered || a.key.localeCompare(b.key));
}
