import { describe, expect, it } from 'vitest';
import { AnswerMemory } from '$lib/server/answers';

/** A computation that counts its runs, answering `value`. */
function counted<T>(value: T) {
	const runs = { n: 0 };
	return { runs, compute: async () => (runs.n++, value) };
}

describe('remembered answers', () => {
	it('forgets the least recently used answer past its number of entries', async () => {
		const memory = new AnswerMemory<number[]>({ entries: 2, bytes: 1_000_000 });
		await memory.get('a', async () => [1]);
		await memory.get('b', async () => [2]);
		await memory.get('a', async () => [0]); // used again: b is now the oldest
		await memory.get('c', async () => [3]);
		expect([memory.has('a'), memory.has('b'), memory.has('c')]).toEqual([true, false, true]);
		expect(await memory.get('a', async () => [0])).toEqual([1]);
	});

	it('keeps at most its bytes of JSON, and never an answer larger than all of them', async () => {
		const memory = new AnswerMemory<string[]>({ entries: 100, bytes: 30 });
		await memory.get('a', async () => ['x'.repeat(10)]); // 14 bytes of JSON
		await memory.get('b', async () => ['y'.repeat(10)]);
		await memory.get('c', async () => ['z'.repeat(10)]); // 42 bytes in all: a goes
		expect([memory.has('a'), memory.has('b'), memory.has('c')]).toEqual([false, true, true]);
		await memory.get('huge', async () => ['w'.repeat(40)]);
		expect([memory.has('huge'), memory.has('b'), memory.has('c')]).toEqual([false, true, true]);
	});

	it('shares an answer being computed, and remembers no failure', async () => {
		const memory = new AnswerMemory<number[]>({ entries: 10, bytes: 1_000 });
		const { runs, compute } = counted([7]);
		expect(await Promise.all([memory.get('k', compute), memory.get('k', compute)])).toEqual([[7], [7]]);
		expect(runs.n).toBe(1);
		await expect(memory.get('bad', () => Promise.reject(new Error('engine down')))).rejects.toThrow('engine down');
		expect(memory.has('bad')).toBe(false);
		const retry = counted([8]);
		expect(await memory.get('bad', retry.compute)).toEqual([8]);
		expect(retry.runs.n).toBe(1);
	});
});
