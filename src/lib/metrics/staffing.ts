/**
 * How many agents an interval needed: the queueing formulas call centers staff by, in plain
 * TypeScript (no database), each with its definition beside it.
 *
 * Inputs of one interval
 *   calls      offered calls (answered + abandoned + unanswered) that arrived in it
 *   intervalS  its length in seconds
 *   ahtS       average handle time (talk + hold + wrap-up) in seconds
 *   λ = calls / intervalS (arrivals per second), μ = 1 / ahtS (completions per agent-second)
 *   A = λ / μ = calls · ahtS / intervalS, the offered load in Erlangs (agent-seconds per second)
 *
 * Erlang C (M/M/N: Poisson arrivals, exponential handle times, N agents, callers never hang up)
 *   B(0, A) = 1,  B(n, A) = A·B(n−1, A) / (n + A·B(n−1, A))            Erlang B, by recursion
 *   C(N, A) = N·B(N, A) / (N − A·(1 − B(N, A)))   for N > A, else 1      P(a caller waits)
 *   SL(N)   = 1 − C(N, A)·e^{−(N − A)·T / AHT}                            P(wait ≤ T)
 *   ASA(N)  = C(N, A)·AHT / (N − A)                                        mean wait, seconds
 * The recursion never forms A^N or N! (which overflow a double past N ≈ 170): every step is a
 * ratio in (0, 1].
 *
 * Erlang A (M/M/N+M; Palm 1943, Garnett–Mandelbaum–Reiman 2002): as Erlang C, but each waiting
 * caller hangs up after an exponential patience with mean 1/θ. The number of calls in the
 * system is a birth–death chain: births λ, deaths min(k, N)·μ + max(k − N, 0)·θ in state k.
 * See `erlangA` for how waits and abandons follow from it.
 */

export interface IntervalLoad {
	calls: number;
	intervalS: number;
	ahtS: number;
}

export interface Target {
	/** Service-level goal as a share, e.g. 0.8. */
	level: number;
	/** T: answered within this many seconds counts as in service level. */
	thresholdS: number;
}

/** A = calls · AHT / interval length, in Erlangs. */
export function offeredLoad({ calls, intervalS, ahtS }: IntervalLoad): number {
	return intervalS > 0 ? (calls * ahtS) / intervalS : 0;
}

/** Erlang B: P(all N agents busy) in a loss system offered A Erlangs (the recursion above). */
export function erlangB(n: number, a: number): number {
	let b = 1;
	for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
	return b;
}

/** One step of the Erlang B recursion, from B(n − 1) to B(n). */
const nextB = (b: number, n: number, a: number) => (a * b) / (n + a * b);

/** Erlang C from Erlang B: P(an arriving caller waits); 1 when N ≤ A (the queue grows without bound). */
function cFromB(b: number, n: number, a: number): number {
	return n > a ? (n * b) / (n - a * (1 - b)) : 1;
}

export function erlangC(n: number, a: number): number {
	return cFromB(erlangB(n, a), n, a);
}

/** P(wait ≤ T) with N agents: 1 − C·e^{−(N − A)·T/AHT}; 0 when N ≤ A. */
export function erlangCServiceLevel(n: number, load: IntervalLoad, thresholdS: number): number {
	const a = offeredLoad(load);
	if (load.calls <= 0) return 1;
	return serviceLevelFromC(erlangC(n, a), n, a, thresholdS, load.ahtS);
}

function serviceLevelFromC(c: number, n: number, a: number, thresholdS: number, ahtS: number): number {
	return n > a ? 1 - c * Math.exp((-(n - a) * thresholdS) / ahtS) : 0;
}

/** Average speed of answer, seconds: C·AHT/(N − A); Infinity when N ≤ A. */
export function erlangCAsa(n: number, load: IntervalLoad): number {
	const a = offeredLoad(load);
	if (load.calls <= 0) return 0;
	return n > a ? (erlangC(n, a) * load.ahtS) / (n - a) : Infinity;
}

/** Goals of 100 % or more are never met by a queue (some caller always waits): no answer. */
const reachable = (target: Target) => target.level < 1 && Number.isFinite(target.thresholdS) && target.thresholdS >= 0;

/** Far more agents than any interval needs: the searches stop here. */
const MAX_AGENTS = 100_000;

/**
 * The smallest N with SL(N) ≥ target under Erlang C: 0 for an interval without calls, null
 * when the inputs cannot be staffed (goal ≥ 100 %, no handle time).
 */
export function requiredAgentsErlangC(load: IntervalLoad, target: Target): number | null {
	if (load.calls <= 0) return 0;
	if (!reachable(target) || !(load.ahtS > 0) || !(load.intervalS > 0)) return null;
	const a = offeredLoad(load);
	// B(n) follows from B(n − 1) in O(1), so walking N upwards costs O(N) in all.
	let b = 1;
	for (let n = 1; n <= MAX_AGENTS; n++) {
		b = nextB(b, n, a);
		if (n > a && serviceLevelFromC(cFromB(b, n, a), n, a, target.thresholdS, load.ahtS) >= target.level) return n;
	}
	return null;
}

/** Mean patience (1/θ) estimated from observed calls; see `estimatePatience`. */
export interface Patience {
	meanS: number;
}

/**
 * θ̂ = abandons / total seconds waited by every call that queued (answered, abandoned and
 * unanswered alike), so mean patience 1/θ̂ = Σ wait / abandons. This is the maximum-likelihood
 * estimate for exponential patience when answered calls are right-censored at their wait (a
 * caller answered after w seconds had patience > w); in the M/M/N+M model it is also exact in
 * expectation: P(abandon) = θ·E[wait]. Null without abandons or without waiting.
 */
export function estimatePatience(abandons: number, totalWaitS: number): Patience | null {
	if (!(abandons > 0) || !(totalWaitS > 0)) return null;
	return { meanS: totalWaitS / abandons };
}

export interface ErlangAResult {
	/** P(answered with a wait ≤ T): the service level with abandons counted against it. */
	answeredWithin: number;
	/** P(the caller hangs up before an agent answers). */
	abandon: number;
	/** P(hangs up after waiting less than S seconds): the short abandons. */
	abandonWithinShort: number;
}

/** Stationary distribution of the chain, truncated where it no longer carries mass. */
function stationary(n: number, lambda: number, mu: number, theta: number): Float64Array {
	// In logs: the unnormalised weights (A^n/n! and beyond) overflow a double at large N.
	const logs: number[] = [0];
	let peak = 0;
	const driftFree = n + Math.max(0, (lambda - n * mu) / theta);
	for (let k = 1; k < 10_000_000; k++) {
		const death = Math.min(k, n) * mu + Math.max(k - n, 0) * theta;
		const log = logs[k - 1]! + Math.log(lambda) - Math.log(death);
		logs.push(log);
		peak = Math.max(peak, log);
		// Past the mode and e^−40 (≈ 4·10⁻¹⁸) below the peak: the rest adds nothing a double keeps.
		if (k > driftFree && k >= n && log < peak - 40) break;
	}
	const p = new Float64Array(logs.length);
	let total = 0;
	logs.forEach((log, k) => (total += p[k] = Math.exp(log - peak)));
	for (let k = 0; k < p.length; k++) p[k]! /= total;
	return p;
}

/**
 * Erlang A measures with N agents, from the birth–death chain above (truncated at the queue
 * length past which its stationary probabilities fall below e^−40 of the largest).
 *
 * An arriving caller sees the stationary state k (Poisson arrivals see time averages). With
 * k < N an agent is free: wait 0. Otherwise i = k − N callers wait ahead. Only they matter
 * (first come, first served), so the tagged caller moves from i ahead to i − 1 at rate
 * N·μ + i·θ (an agent frees up, or one ahead hangs up), is answered from 0 ahead at rate N·μ,
 * and hangs up at rate θ from any place. Where the mass of this absorbing chain goes by time
 * t is computed by uniformization (Grassmann 1977): with Λ ≥ every exit rate, the chain is a
 * discrete one jumping at Poisson(Λ) times, so P(answered by t) = Σ_j Poisson(j; Λt)·s_j with
 * s_j the mass answered after j jumps: sums of non-negative terms, no cancellation.
 *
 * P(abandon) follows from flow balance: callers hang up at rate θ·E[queue], arrive at λ.
 */
export function erlangA(n: number, load: IntervalLoad, patience: Patience, thresholdS: number, shortS = 0): ErlangAResult {
	if (load.calls <= 0) return { answeredWithin: 1, abandon: 0, abandonWithinShort: 0 };
	if (n <= 0) return { answeredWithin: 0, abandon: 1, abandonWithinShort: shortS > 0 ? 1 - Math.exp(-shortS / patience.meanS) : 0 };
	const lambda = load.calls / load.intervalS;
	const mu = 1 / load.ahtS;
	const theta = 1 / patience.meanS;
	const p = stationary(n, lambda, mu, theta);
	let immediate = 0;
	for (let k = 0; k < Math.min(n, p.length); k++) immediate += p[k]!;
	const waiting = Math.max(0, p.length - n);
	let queue = 0;
	for (let i = 1; i < waiting; i++) queue += i * p[n + i]!;
	const abandon = Math.min(1, (theta * queue) / lambda);

	// The tagged caller's place in the queue: u[i] = P(i callers ahead, still waiting).
	const u = new Float64Array(Math.max(1, waiting));
	for (let i = 0; i < waiting; i++) u[i] = p[n + i]!;
	const rate = (i: number) => n * mu + i * theta; // moving up (or answered, from 0)
	const uniform = rate(waiting) + theta;
	const horizon = Math.max(thresholdS, shortS);
	const jumps = poissonReach(uniform * horizon);
	const answered = new Float64Array(jumps + 1);
	const abandoned = new Float64Array(jumps + 1);
	let doneAnswered = 0;
	let doneAbandoned = 0;
	for (let j = 1; j <= jumps; j++) {
		let mass = 0;
		doneAnswered += (u[0]! * rate(0)) / uniform;
		for (let i = 0; i < u.length; i++) {
			mass += u[i]!;
			const up = i + 1 < u.length ? (u[i + 1]! * rate(i + 1)) / uniform : 0;
			u[i] = u[i]! * (1 - (rate(i) + theta) / uniform) + up;
		}
		doneAbandoned += (mass * theta) / uniform;
		answered[j] = doneAnswered;
		abandoned[j] = doneAbandoned;
	}
	return {
		answeredWithin: Math.min(1, immediate + atTime(answered, uniform * thresholdS)),
		abandon,
		abandonWithinShort: shortS > 0 ? atTime(abandoned, uniform * shortS) : 0
	};
}

/** Jumps after which the Poisson(mean) tail is below ~10⁻¹²: mean + 10 standard deviations + 20. */
function poissonReach(mean: number): number {
	return Math.ceil(mean + 10 * Math.sqrt(mean) + 20);
}

/** Σ_j Poisson(j; mean)·cumulative[j], with the weights in logs (e^−mean underflows past 745). */
function atTime(cumulative: Float64Array, mean: number): number {
	if (mean <= 0) return 0;
	let log = -mean;
	let sum = 0;
	for (let j = 0; j < cumulative.length; j++) {
		if (j > 0) log += Math.log(mean) - Math.log(j);
		sum += Math.exp(log) * cumulative[j]!;
	}
	return sum;
}

export type AbandonTreatment = 'count' | 'exclude' | 'exclude_short';

/**
 * Erlang A's service level under the page's abandon treatment (`metrics/service.ts`):
 *   count          answered within T / offered
 *   exclude        answered within T / answered  (answered = 1 − P(abandon) in the model)
 *   exclude_short  answered within T / (offered − short abandons)
 */
export function erlangAServiceLevel(result: ErlangAResult, treatment: AbandonTreatment): number {
	const base = treatment === 'count' ? 1 : treatment === 'exclude' ? 1 - result.abandon : 1 - result.abandonWithinShort;
	return base > 0 ? Math.min(1, result.answeredWithin / base) : 0;
}

/**
 * The smallest N whose Erlang A service level (under `treatment`) meets the goal: found by
 * doubling, then bisection (the service level grows with N). 0 without calls; null when the
 * goal is 100 % or more or the inputs are unusable.
 */
export function requiredAgentsErlangA(
	load: IntervalLoad,
	patience: Patience,
	target: Target,
	treatment: AbandonTreatment = 'count',
	shortS = 0
): number | null {
	if (load.calls <= 0) return 0;
	if (!reachable(target) || !(load.ahtS > 0) || !(load.intervalS > 0) || !(patience.meanS > 0)) return null;
	const meets = (n: number) => erlangAServiceLevel(erlangA(n, load, patience, target.thresholdS, shortS), treatment) >= target.level;
	let lo = 0; // fails (no agents answer nobody)
	let hi = Math.max(1, Math.ceil(offeredLoad(load)));
	while (!meets(hi)) {
		lo = hi;
		hi *= 2;
		if (hi > MAX_AGENTS) return null;
	}
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if (meets(mid)) hi = mid;
		else lo = mid;
	}
	return hi;
}
