import { describe, expect, it } from 'vitest';
import { scaleLinear, scaleTime, timeDay, timeHour } from 'd3';
import { fitTicks } from '$lib/charts/fit';
import { textWidth } from '$lib/charts/legend';
import { clockTickFormat, dateTickFormat, dayTickFormat } from '$lib/charts/ticks';
import { intervalTimeTicks } from '$lib/charts/time-ticks';

/** The tick fit written plainly, measuring every pair afresh: the densest candidate whose neighbours all have room, else the sparsest thinned. */
function fitTicksPlain<T>(ticksFor: (count: number) => T[], position: (tick: T) => number, size: (tick: T) => number, count: number, gap = 8): T[] {
	const room = (a: T, b: T) => Math.abs(position(b) - position(a)) - (size(a) + size(b)) / 2;
	for (let n = Math.max(1, Math.floor(count)); n >= 1; n--) {
		const candidate = ticksFor(n);
		let touching = false;
		for (let i = 1; i < candidate.length; i++) if (room(candidate[i - 1]!, candidate[i]!) < gap) touching = true;
		if (!touching) return candidate;
	}
	const thinned: T[] = [];
	for (const tick of ticksFor(1)) {
		const last = thinned.at(-1);
		if (last === undefined || room(last, tick) >= gap) thinned.push(tick);
	}
	return thinned;
}

/** Width as first written: no remembering. */
const widthPlain = (text: string, fontSize: number) => Array.from(text).reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 1 : 0.56) * fontSize, 0);

/** A small deterministic generator, so that a failure names inputs that can be replayed. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

describe('tick fit', () => {
	it('chooses the same ticks as the unremembered fit, on numeric axes of many lengths and label sizes', () => {
		const next = random(7);
		for (let run = 0; run < 2000; run++) {
			const max = Math.round(next() * 10 ** Math.ceil(next() * 7)) + 1;
			const pixels = 20 + next() * 1200;
			const x = scaleLinear()
				.domain([0, max])
				.range([40, 40 + pixels])
				.nice();
			const fontSize = 9 + Math.floor(next() * 6);
			const label = (v: number) => v.toLocaleString('en');
			const args = [(n: number) => x.ticks(n), (v: number) => x(v), (v: number) => widthPlain(label(v), fontSize), pixels / (30 + next() * 60)] as const;
			expect(fitTicks(...args), `max ${max}, ${pixels} px, ${fontSize} px font`).toEqual(fitTicksPlain(...args));
		}
	});

	it('chooses the same ticks as the unremembered fit on time axes, dates and clock times', () => {
		const next = random(11);
		for (let run = 0; run < 500; run++) {
			const start = new Date(2008, 4, 1 + Math.floor(next() * 20), Math.floor(next() * 24));
			const end = new Date(+start + (1 + next() * 40 * 24) * 3_600_000);
			const pixels = 60 + next() * 1100;
			const x = scaleTime()
				.domain([start, end])
				.range([30, 30 + pixels]);
			for (const lang of ['zh-CN', 'en']) {
				const dates = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' });
				const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
				const label = (t: number) => (+timeDay.floor(new Date(t)) === t ? dates : clock).format(new Date(t));
				const args = [(n: number) => x.ticks(n).map(Number), (t: number) => x(t), (t: number) => widthPlain(label(t), 11), pixels / 64] as const;
				expect(fitTicks(...args), `${start.toISOString()}–${end.toISOString()}, ${pixels} px, ${lang}`).toEqual(fitTicksPlain(...args));
			}
		}
	});

	it('keeps only the ticks that have room on an axis too short for any candidate, as before', () => {
		const x = scaleLinear().domain([0, 1_000_000]).range([0, 30]);
		const args = [(n: number) => x.ticks(n), (v: number) => x(v), (v: number) => widthPlain(String(v), 12), 3] as const;
		const kept = fitTicks(...args);
		expect(kept).toEqual(fitTicksPlain(...args));
		expect(kept.length).toBeGreaterThan(0);
		for (let i = 1; i < kept.length; i++) expect(x(kept[i]!) - x(kept[i - 1]!)).toBeGreaterThanOrEqual(widthPlain(String(kept[i]), 12) + 8);
	});

	it('places and measures each tick once, however many candidates it tries', () => {
		const x = scaleLinear().domain([0, 987_654]).range([0, 300]);
		const measured = new Map<number, number>();
		const placed = new Map<number, number>();
		fitTicks(
			(n) => x.ticks(n),
			(v) => {
				placed.set(v, (placed.get(v) ?? 0) + 1);
				return x(v);
			},
			(v) => {
				measured.set(v, (measured.get(v) ?? 0) + 1);
				return widthPlain(v.toLocaleString('en'), 11);
			},
			30
		);
		expect(measured.size).toBeGreaterThan(3);
		expect([...measured.values()].every((n) => n === 1)).toBe(true);
		expect([...placed.values()].every((n) => n === 1)).toBe(true);
	});
});

describe('text width', () => {
	it('is the per-character estimate, asked once or again, for Latin, CJK and mixed labels', () => {
		const next = random(3);
		const alphabet = ['a', 'W', '1', ' ', '…', '座', '席', '一', '部', '月', '日', '%', '—', '秒'];
		for (let run = 0; run < 3000; run++) {
			const text = Array.from({ length: Math.floor(next() * 14) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
			const size = [10, 11, 12, 13.5][Math.floor(next() * 4)]!;
			expect(textWidth(text, size)).toBe(widthPlain(text, size));
			expect(textWidth(text, size)).toBe(widthPlain(text, size));
		}
		// The same text at another size is not the first size's width.
		expect(textWidth('座席一部', 12)).toBe(48);
		expect(textWidth('座席一部', 11)).toBe(44);
	});

	it('stays right past the bound on remembered widths', () => {
		for (let i = 0; i < 25_000; i++) textWidth(`agent-${i}`, 11);
		expect(textWidth('agent-3', 11)).toBe(widthPlain('agent-3', 11));
		expect(textWidth('agent-24999', 11)).toBe(widthPlain('agent-24999', 11));
	});
});

describe('axis date formats', () => {
	const days = Array.from({ length: 40 }, (_, i) => new Date(2023, 11, 1 + i, (i * 5) % 24, (i * 7) % 60));
	for (const lang of ['zh-CN', 'en']) {
		it(`write what a new format of the same options writes, and are made once (${lang})`, () => {
			const sameYear = dateTickFormat(lang, new Date(2024, 2, 1), new Date(2024, 2, 8));
			const acrossYears = dateTickFormat(lang, new Date(2023, 11, 20), new Date(2024, 0, 10));
			const plainDay = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' });
			const plainYear = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric' });
			const plainClock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
			for (const d of days) {
				expect(sameYear.format(d)).toBe(plainDay.format(d));
				expect(dayTickFormat(lang).format(d)).toBe(plainDay.format(d));
				expect(acrossYears.format(d)).toBe(plainYear.format(d));
				expect(clockTickFormat(lang).format(d)).toBe(plainClock.format(d));
			}
			expect(dateTickFormat(lang, new Date(2024, 5, 1), new Date(2024, 5, 2))).toBe(sameYear);
			expect(dateTickFormat(lang, new Date(1999, 0, 1), new Date(2001, 0, 2))).toBe(acrossYears);
			expect(clockTickFormat(lang)).toBe(clockTickFormat(lang));
		});
	}

	it('do not mix languages', () => {
		const d = new Date(2008, 4, 12);
		expect(dayTickFormat('zh-CN').format(d)).toBe(new Intl.DateTimeFormat('zh-CN', { month: 'short', day: 'numeric' }).format(d));
		expect(dayTickFormat('en').format(d)).toBe(new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' }).format(d));
		expect(dayTickFormat('zh-CN').format(d)).not.toBe(dayTickFormat('en').format(d));
	});

	it('label interval ticks as a fresh date and clock format would', () => {
		const x = scaleTime()
			.domain([new Date(2008, 4, 11, 20), new Date(2008, 4, 12, 20)])
			.range([0, 900]);
		for (const lang of ['zh-CN', 'en']) {
			const { ticks, label } = intervalTimeTicks(x, timeHour, 60, lang, 11);
			const dates = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' });
			const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
			expect(ticks.length).toBeGreaterThan(2);
			for (const t of ticks) expect(label(t)).toBe((+timeDay.floor(new Date(t)) === t ? dates : clock).format(new Date(t)));
		}
	});
});
