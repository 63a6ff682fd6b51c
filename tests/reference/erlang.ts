/**
 * Erlang C and Erlang A computed another way than `src/lib/metrics/staffing.ts`, for tests:
 * textbook closed forms summed term by term (fine for the small loads tests use).
 * Nothing here imports from `src/`.
 */

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
