import { describe, expect, it } from 'vitest';
import { AnswerCache } from '$lib/query/cache';

/** A computation that counts its runs, answering `value`. */
function counted<T>(value: T) {
	const runs = { n: 0 };
	return { runs, compute: async () => (runs.n++, value) };
}

describe('the answer cache (coordinator and server)', () => {
	it('forgets the least recently used answer past its number of entries', async () => {
		const memory = new AnswerCache<number[]>({ entries: 2, bytes: 1_000_000 });
		await memory.get('a', async () => [1]);
		await memory.get('b', async () => [2]);
		await memory.get('a', async () => [0]); // used again: b is now the oldest
		await memory.get('c', async () => [3]);
		expect([memory.has('a'), memory.has('b'), memory.has('c')]).toEqual([true, false, true]);
		expect(await memory.get('a', async () => [0])).toEqual([1]);
	});

	it('keeps at most its bytes of JSON, and never an answer larger than all of them', async () => {
		const memory = new AnswerCache<string[]>({ entries: 100, bytes: 30 });
		await memory.get('a', async () => ['x'.repeat(10)]); // 14 bytes of JSON
		await memory.get('b', async () => ['y'.repeat(10)]);
		await memory.get('c', async () => ['z'.repeat(10)]); // 42 bytes in all: a goes
		expect([memory.has('a'), memory.has('b'), memory.has('c')]).toEqual([false, true, true]);
		await memory.get('huge', async () => ['w'.repeat(40)]);
		expect([memory.has('huge'), memory.has('b'), memory.has('c')]).toEqual([false, true, true]);
	});

	it('shares an answer being computed, and remembers no failure', async () => {
		const memory = new AnswerCache<number[]>({ entries: 10, bytes: 1_000 });
		const { runs, compute } = counted([7]);
		expect(await Promise.all([memory.get('k', compute), memory.get('k', compute)])).toEqual([[7], [7]]);
		expect(runs.n).toBe(1);
		await expect(memory.get('bad', () => Promise.reject(new Error('engine down')))).rejects.toThrow('engine down');
		expect(memory.has('bad')).toBe(false);
		const retry = counted([8]);
		expect(await memory.get('bad', retry.compute)).toEqual([8]);
		expect(retry.runs.n).toBe(1);
	});

	it('invalidating forgets kept answers and one being computed (not kept when it arrives), pinned ones only when asked', async () => {
		const cache = new AnswerCache<number[]>({ entries: 10 });
		cache.pin('ds_a pinned', [1]);
		await cache.get('ds_a kept', async () => [2]);
		await cache.get('ds_b kept', async () => [3]);
		let arrive!: (rows: number[]) => void;
		const flying = cache.get('ds_a flying', () => new Promise((resolve) => (arrive = resolve)));
		cache.invalidate((key) => key.startsWith('ds_a'));
		arrive([4]);
		expect(await flying).toEqual([4]);
		expect(cache.entries(() => true).map(([key]) => key)).toEqual(['ds_a pinned', 'ds_b kept']);
		expect(cache.computing('ds_a flying')).toBe(false);
		cache.invalidate((key) => key.startsWith('ds_a'), { pinned: true });
		expect(cache.pinned('ds_a pinned')).toBeUndefined();
		expect(cache.size).toBe(1);
	});

	it('pinned answers are neither dropped nor counted against the limit', async () => {
		const cache = new AnswerCache<number[]>({ entries: 1 });
		cache.pin('p1', [1]);
		cache.pin('p2', [2]);
		await cache.get('a', async () => [3]);
		await cache.get('b', async () => [4]);
		expect([cache.has('p1'), cache.has('p2'), cache.has('a'), cache.has('b')]).toEqual([true, true, false, true]);
	});
});
