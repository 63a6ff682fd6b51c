import { describe, expect, it } from 'vitest';
import {
	erlangA,
	erlangAServiceLevel,
	erlangB,
	erlangC,
	erlangCAsa,
	erlangCServiceLevel,
	estimatePatience,
	offeredLoad,
	requiredAgentsErlangA,
	requiredAgentsErlangC
} from '$lib/metrics/staffing';
import { refAsaC, refErlangA, refErlangC, refLoad, refRequiredC, refServiceLevelC } from '../reference/erlang';

const goal8020 = { level: 0.8, thresholdS: 20 };

describe('Erlang C', () => {
	/*
	 * Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
	 * (callcentrehelper.com): 100 calls in 30 minutes, AHT 180 s, 80/20. A = 10 Erlangs; with
	 * 11 agents the article finds P(wait) = 68.21 %, service level 39 %, ASA 122.8 s, and adds
	 * agents until the goal is met (14).
	 */
	const cch = { calls: 100, intervalS: 1800, ahtS: 180 };

	it('reproduces the Call Centre Helper worked example', () => {
		expect(offeredLoad(cch)).toBe(10);
		expect(erlangC(11, 10)).toBeCloseTo(0.6821, 4);
		expect(erlangCServiceLevel(11, cch, 20)).toBeCloseTo(0.39, 2);
		expect(erlangCAsa(11, cch)).toBeCloseTo(122.8, 1);
		expect(requiredAgentsErlangC(cch, goal8020)).toBe(14);
	});

	/*
	 * Mitan Ltd, "The Erlang-C formula" (mitan.co.uk/erlang/elgcmath.htm): 360 calls per half
	 * hour, 4-minute calls, 55 agents, answer within 15 s. A = 48 Erlangs, occupancy 87.3 %.
	 * The figures are compared with the textbook form computed in the test's reference.
	 */
	it('agrees with the textbook form on the Mitan example', () => {
		const load = { calls: 360, intervalS: 1800, ahtS: 240 };
		const a = refLoad(360, 1800, 240);
		expect(offeredLoad(load)).toBe(a);
		expect(a / 55).toBeCloseTo(0.873, 3);
		expect(erlangC(55, a)).toBeCloseTo(refErlangC(55, a), 12);
		expect(erlangCServiceLevel(55, load, 15)).toBeCloseTo(refServiceLevelC(55, a, 15, 240), 12);
		expect(erlangCAsa(55, load)).toBeCloseTo(refAsaC(55, a, 240), 10);
		expect(requiredAgentsErlangC(load, { level: 0.8, thresholdS: 15 })).toBe(refRequiredC(360, 1800, 240, 0.8, 15));
	});

	it('matches the textbook form over a grid of loads, goals and thresholds', () => {
		for (const calls of [1, 7, 40, 250, 900])
			for (const aht of [45, 180, 420])
				for (const [level, t] of [
					[0.8, 20],
					[0.9, 10],
					[0.5, 60]
				] as const) {
					const load = { calls, intervalS: 3600, ahtS: aht };
					expect(requiredAgentsErlangC(load, { level, thresholdS: t }), `${calls} calls, ${aht} s, ${level}/${t}`).toBe(
						refRequiredC(calls, 3600, aht, level, t)
					);
				}
	});

	it('Erlang B by recursion stays finite where A^N/N! overflows a double', () => {
		// N = 400, A = 380: A^N and N! are both beyond 1e308; B must stay a probability.
		const b = erlangB(400, 380);
		expect(b).toBeGreaterThan(0);
		expect(b).toBeLessThan(1);
		// The recursion's first steps by hand: B(1) = A/(1+A), B(2) = A·B(1)/(2 + A·B(1)).
		const b1 = 3 / 4;
		expect(erlangB(1, 3)).toBeCloseTo(b1, 15);
		expect(erlangB(2, 3)).toBeCloseTo((3 * b1) / (2 + 3 * b1), 15);
		const n = requiredAgentsErlangC({ calls: 4560, intervalS: 3600, ahtS: 300 }, goal8020);
		expect(n).toBeGreaterThan(380);
		expect(erlangCServiceLevel(n!, { calls: 4560, intervalS: 3600, ahtS: 300 }, 20)).toBeGreaterThanOrEqual(0.8);
		expect(erlangCServiceLevel(n! - 1, { calls: 4560, intervalS: 3600, ahtS: 300 }, 20)).toBeLessThan(0.8);
	});

	it('no calls need no agents; a 100 % goal has no answer', () => {
		expect(requiredAgentsErlangC({ calls: 0, intervalS: 3600, ahtS: 180 }, goal8020)).toBe(0);
		expect(requiredAgentsErlangC(cch, { level: 1, thresholdS: 20 })).toBeNull();
		expect(requiredAgentsErlangC({ ...cch, ahtS: 0 }, goal8020)).toBeNull();
	});
});

describe('Erlang A', () => {
	const load = { calls: 100, intervalS: 1800, ahtS: 180 };

	// The reference's alternating sums lose precision when patience is long (stage rates close).
	it('agrees with the closed forms of the reference', () => {
		for (const [n, patience, t] of [
			[11, 60, 20],
			[12, 180, 20],
			[14, 120, 30],
			[10, 30, 10],
			[9, 90, 15]
		] as const) {
			const got = erlangA(n, load, { meanS: patience }, t);
			const ref = refErlangA(n, 100, 1800, 180, patience, t);
			expect(got.answeredWithin, `N=${n} patience ${patience}`).toBeCloseTo(ref.answeredWithin, 6);
			expect(got.abandon, `N=${n} patience ${patience}`).toBeCloseTo(ref.abandon, 6);
		}
	});

	it('with patience equal to the handle time the chain is M/M/∞: P(abandon) = E[(X − N)⁺]/A, X ~ Poisson(A)', () => {
		// Deaths k·μ in every state k when θ = μ, so the number in system is Poisson(A).
		for (const n of [5, 8, 10, 12]) {
			const a = 10;
			let excess = 0;
			let p = Math.exp(-a);
			for (let k = 0; k < 200; k++) {
				if (k > 0) p *= a / k;
				excess += Math.max(0, k - n) * p;
			}
			expect(erlangA(n, load, { meanS: 180 }, 20).abandon).toBeCloseTo(excess / a, 9);
		}
	});

	it('as patience grows without bound it becomes Erlang C', () => {
		const c = erlangCServiceLevel(12, load, 20);
		const a = erlangA(12, load, { meanS: 1e9 }, 20);
		expect(a.answeredWithin).toBeCloseTo(c, 5);
		expect(a.abandon).toBeLessThan(1e-6);
		expect(requiredAgentsErlangA(load, { meanS: 1e9 }, goal8020)).toBe(requiredAgentsErlangC(load, goal8020));
	});

	it('needs the smallest N that meets the goal', () => {
		const patience = { meanS: 90 };
		const n = requiredAgentsErlangA(load, patience, goal8020)!;
		expect(erlangAServiceLevel(erlangA(n, load, patience, 20), 'count')).toBeGreaterThanOrEqual(0.8);
		expect(erlangAServiceLevel(erlangA(n - 1, load, patience, 20), 'count')).toBeLessThan(0.8);
		expect(requiredAgentsErlangA({ ...load, calls: 0 }, patience, goal8020)).toBe(0);
		expect(requiredAgentsErlangA(load, patience, { level: 1, thresholdS: 20 })).toBeNull();
	});

	it('abandon treatments divide by what the page divides by', () => {
		const r = { answeredWithin: 0.6, abandon: 0.2, abandonWithinShort: 0.05 };
		expect(erlangAServiceLevel(r, 'count')).toBeCloseTo(0.6);
		expect(erlangAServiceLevel(r, 'exclude')).toBeCloseTo(0.6 / 0.8);
		expect(erlangAServiceLevel(r, 'exclude_short')).toBeCloseTo(0.6 / 0.95);
	});

	it('patience: total wait over abandons, none without abandons', () => {
		expect(estimatePatience(4, 480)).toEqual({ meanS: 120 });
		expect(estimatePatience(0, 480)).toBeNull();
		expect(estimatePatience(3, 0)).toBeNull();
	});
});

/** mulberry32: a small seeded generator, so the simulation is the same on every run. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * M/M/N (+M) first come, first served, simulated call by call: a caller arriving at a takes
 * the agent free first, at f = max(a, earliest free time); with patience p < f − a they hang
 * up at a + p and take no agent. Callers are taken in arrival order, which is exactly FCFS.
 */
function simulate(n: number, lambda: number, aht: number, patienceS: number, t: number, shortS: number, calls: number, seed: number) {
	const next = random(seed);
	const exp = (mean: number) => -Math.log(1 - next()) * mean;
	const free = new Float64Array(n);
	let clock = 0;
	let within = 0;
	let abandoned = 0;
	let short = 0;
	let waitTotal = 0;
	const warmUp = 2000;
	for (let j = 0; j < calls + warmUp; j++) {
		clock += exp(1 / lambda);
		let agent = 0;
		for (let i = 1; i < n; i++) if (free[i]! < free[agent]!) agent = i;
		const wait = Math.max(0, free[agent]! - clock);
		const patience = Number.isFinite(patienceS) ? exp(patienceS) : Infinity;
		const counted = j >= warmUp;
		if (wait > patience) {
			if (counted) {
				abandoned++;
				waitTotal += patience;
				if (patience < shortS) short++;
			}
			continue;
		}
		free[agent] = clock + wait + exp(aht);
		if (counted) {
			waitTotal += wait;
			if (wait <= t) within++;
		}
	}
	return { answeredWithin: within / calls, abandon: abandoned / calls, abandonWithinShort: short / calls, patienceEstimate: waitTotal / abandoned };
}

describe('the formulas against a simulated queue (seeded)', () => {
	const CALLS = 200_000;
	// Standard errors of shares near 0.5 over 200,000 calls are ~0.001; runs are correlated
	// (a queue remembers), so the tolerance is several times that.
	const TOLERANCE = 0.015;

	it('Erlang C: the share answered within T', () => {
		const load = { calls: 100, intervalS: 1800, ahtS: 180 };
		for (const [n, seed] of [
			[12, 1],
			[14, 2]
		] as const) {
			const sim = simulate(n, 100 / 1800, 180, Infinity, 20, 0, CALLS, seed);
			expect(Math.abs(sim.answeredWithin - erlangCServiceLevel(n, load, 20)), `N=${n}`).toBeLessThan(TOLERANCE);
		}
	});

	it('Erlang A: answered within T, abandons, short abandons, and the patience estimator', () => {
		const load = { calls: 150, intervalS: 1800, ahtS: 180 };
		for (const [n, patience, seed] of [
			[12, 120, 3],
			[15, 60, 4]
		] as const) {
			const sim = simulate(n, 150 / 1800, 180, patience, 20, 5, CALLS, seed);
			const model = erlangA(n, load, { meanS: patience }, 20, 5);
			expect(Math.abs(sim.answeredWithin - model.answeredWithin), `N=${n} within`).toBeLessThan(TOLERANCE);
			expect(Math.abs(sim.abandon - model.abandon), `N=${n} abandon`).toBeLessThan(TOLERANCE);
			expect(Math.abs(sim.abandonWithinShort - model.abandonWithinShort), `N=${n} short`).toBeLessThan(TOLERANCE / 3);
			// Σ wait / abandons recovers the mean patience the callers were given.
			expect(sim.patienceEstimate / patience).toBeGreaterThan(0.95);
			expect(sim.patienceEstimate / patience).toBeLessThan(1.05);
		}
	});
});
