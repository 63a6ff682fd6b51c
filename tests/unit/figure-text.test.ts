import { describe, expect, it } from 'vitest';
import { datasetSourceLine } from '$lib/datasets/source';
import { exportFileStem } from '$lib/export/download';
import { hasMessage, MESSAGES, translate } from '$lib/i18n/messages';
import { storyEngine } from './helpers';

const imported = {
	name: 'February',
	files: ['jan.csv', 'feb.csv'],
	rows: 12345,
	from: '1999-02-01 07:00:03',
	to: '1999-02-28 23:59:10',
	importedAt: new Date(2026, 10, 26, 7, 21, 59).toISOString(),
	synthetic: false
};

describe('source line of an imported dataset', () => {
	it.each(['zh-CN', 'en'] as const)('names the files, calls, date range and import day, not the story article (%s)', (lang) => {
		const line = datasetSourceLine(imported, lang);
		for (const part of ['February', 'jan.csv', 'feb.csv', '1999-02-01', '1999-02-28', '2026-11-26']) expect(line).toContain(part);
		expect(line).toContain('12,345');
		expect(line).not.toContain('震不断');
		expect(line).not.toBe(translate(lang, 'chart.source'));
	});

	it('counts the files beyond the first three instead of listing them all', () => {
		const files = Array.from({ length: 12 }, (_, i) => `day-${i + 1}.csv`);
		const line = datasetSourceLine({ ...imported, files }, 'en');
		expect(line).toContain('day-1.csv, day-2.csv, day-3.csv');
		expect(line).not.toContain('day-4.csv');
		expect(line).toContain('9 more');
	});

	it('says a synthetic dataset is not real records', () => {
		expect(datasetSourceLine({ ...imported, synthetic: true }, 'zh-CN')).toContain('合成');
		expect(datasetSourceLine({ ...imported, synthetic: true }, 'en')).toContain('not real');
	});
});

describe('names of exported files', () => {
	it('are the title and the active filter values, in the page language, without a "no filter" text', () => {
		expect(exportFileStem('各部门/队列服务水平', ['February', null, '', undefined])).toBe('holdline-各部门-队列服务水平-February');
		expect(exportFileStem('Service level by department / queue', ['February', '8001'])).toBe('holdline-Service-level-by-department-queue-February-8001');
		expect(exportFileStem(MESSAGES['zh-CN']['chart.wait.title'])).toBe('holdline-等待时间分布');
		expect(exportFileStem(MESSAGES.en['chart.wait.title'])).toBe('holdline-Wait-time-distribution');
	});
});

describe('the Calls page notes', () => {
	it('every note of the story data has its text in both languages, the Chinese one in Chinese', async () => {
		const rows = await (await storyEngine()).query({ sql: 'SELECT id, note FROM calls WHERE note IS NOT NULL ORDER BY id', params: [] });
		expect(rows.length).toBeGreaterThan(0);
		for (const { id, note } of rows as { id: string; note: string }[]) {
			const key = `calls.note.${id}`;
			expect(hasMessage(key), key).toBe(true);
			if (!hasMessage(key)) continue;
			expect(MESSAGES.en[key]).toBe(note); // the English text is the data's own note
			expect(MESSAGES['zh-CN'][key]).toMatch(/[\u4e00-\u9fff]/);
		}
	});
});
