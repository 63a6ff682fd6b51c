/**
 * Erlang C and Erlang A computed another way than `src/lib/metrics/staffing.ts`, for tests:
 * textbook closed forms summed term by term (fine for the small loads tests use).
 * Nothing here imports from `src/`.
 */
import type { RefCall } from './common';

/** The offered load in Erlangs: calls · AHT / interval seconds. */
export const refLoad = (calls: number, intervalS: number, ahtS: number) => (calls * ahtS) / intervalS;

/**
 * Erlang C by its textbook form:
 *   C = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)),  1 when N ≤ A.
 */
export function refErlangC(n: number, a: number): number {
	if (n <= a) return 1;
	let term = 1; // A^k / k!
	let below = 0;
	for (let k = 0; k < n; k++) {
		below += term;
		term *= a / (k + 1);
	}
	const top = (term * n) / (n - a);
	return top / (below + top);
}

export const refServiceLevelC = (n: number, a: number, t: number, aht: number) => (n > a ? 1 - refErlangC(n, a) * Math.exp((-(n - a) * t) / aht) : 0);
export const refAsaC = (n: number, a: number, aht: number) => (n > a ? (refErlangC(n, a) * aht) / (n - a) : Infinity);

/** The smallest N (above A) with Erlang C service level ≥ goal, by trying N = 1, 2, … */
export function refRequiredC(calls: number, intervalS: number, aht: number, goal: number, t: number): number {
	if (calls === 0) return 0;
	const a = refLoad(calls, intervalS, aht);
	for (let n = 1; ; n++) if (refServiceLevelC(n, a, t, aht) >= goal) return n;
}

/**
 * Erlang A (M/M/N+M) by the stationary distribution written as products,
 *   π_k ∝ Π_{j=1..k} λ / (min(j, N)·μ + max(j − N, 0)·θ),   k = 0 … K,
 * and, for a caller finding i callers waiting ahead, the time to be answered as a sum of
 * exponential stages with rates r_j = N·μ + j·θ (j = i … 0), each raced by its own patience
 * Exp(θ):   P(answered by T) = Σ_j c_j · r_j/(r_j + θ) · (1 − e^{−(r_j + θ)·T}),
 *           c_j = Π_{k≠j} r_k / (r_k − r_j)   (the hypoexponential density's weights).
 * and P(abandon | i ahead) = 1 − Π_j r_j/(r_j + θ) (answered only by winning every race).
 * The alternating weights lose precision past ~25 stages: keep loads light (K = N + 40).
 */
export function refErlangA(n: number, calls: number, intervalS: number, aht: number, patienceS: number, t: number) {
	const lambda = calls / intervalS;
	const mu = 1 / aht;
	const theta = 1 / patienceS;
	const K = n + 40;
	const weights = [1];
	for (let k = 1; k <= K; k++) weights.push((weights[k - 1]! * lambda) / (Math.min(k, n) * mu + Math.max(k - n, 0) * theta));
	const total = weights.reduce((s, w) => s + w, 0);
	const pi = weights.map((w) => w / total);
	let within = 0;
	let abandon = 0;
	for (let k = 0; k <= K; k++) {
		if (k < n) {
			within += pi[k]!;
			continue;
		}
		const ahead = k - n;
		const rates = Array.from({ length: ahead + 1 }, (_, j) => n * mu + j * theta);
		let answered = 0;
		rates.forEach((rj, j) => {
			let c = 1;
			rates.forEach((rk, k2) => {
				if (k2 !== j) c *= rk / (rk - rj);
			});
			answered += ((c * rj) / (rj + theta)) * (1 - Math.exp(-(rj + theta) * t));
		});
		within += pi[k]! * answered;
		// Answered at all only by winning every stage's race against patience.
		abandon += pi[k]! * (1 - rates.reduce((p, r) => (p * r) / (r + theta), 1));
	}
	return { answeredWithin: within, abandon };
}

/** A call as the staffing reference reads it. */
type StaffingCall = Pick<RefCall, 'agent' | 'arrival' | 'answer' | 'ended' | 'wait_s' | 'talk_s' | 'outcome'>;

/**
 * Per interval of arrival (`minutes` wide, wall-clock times in UTC fields): offered, answered,
 * abandoned, AHT (mean talk of answered calls), the waits of offered calls, the distinct
 * agents with a call in service at some moment of the interval (answer → answer + talk, or
 * → end when talk is unknown) and the mean number busy (overlapping seconds / interval).
 */
export function refStaffingLoad(calls: StaffingCall[], minutes: number) {
	const width = minutes * 60_000;
	const buckets = new Map<number, StaffingCall[]>();
	for (const c of calls) {
		const b = Math.floor(c.arrival.getTime() / width) * width;
		buckets.set(b, [...(buckets.get(b) ?? []), c]);
	}
	const spans = calls
		.filter((c) => c.outcome === 'answered' && c.agent !== null && c.answer !== null)
		.map((c) => {
			const from = c.answer!.getTime();
			const talk = c.talk_s ?? (c.ended ? (c.ended.getTime() - from) / 1000 : 0);
			return { agent: c.agent!, from, to: from + Math.max(0, talk) * 1000 };
		});
	return [...buckets.keys()]
		.sort((a, b) => a - b)
		.map((start) => {
			const inBucket = buckets.get(start)!;
			const offered = inBucket.filter((c) => c.outcome !== 'other');
			const answered = offered.filter((c) => c.outcome === 'answered');
			const talks = answered.map((c) => c.talk_s).filter((t): t is number => t !== null);
			const end = start + width;
			const here = spans.filter((s) => s.from < end && (s.to > start || s.from >= start));
			const busyMs = here.reduce((sum, s) => sum + Math.min(s.to, end) - Math.max(s.from, start), 0);
			return {
				key: new Date(start).toISOString().slice(0, 19).replace('T', ' '),
				offered: offered.length,
				answered: answered.length,
				abandoned: offered.filter((c) => c.outcome === 'abandoned').length,
				aht_s: talks.length ? talks.reduce((a, b) => a + b, 0) / talks.length : null,
				wait_sum_s: offered.reduce((sum, c) => sum + (c.wait_s ?? 0), 0),
				agents_seen: new Set(here.map((s) => s.agent)).size,
				agents_busy: busyMs / width
			};
		});
}
