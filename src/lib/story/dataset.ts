import callsCsv from '../../../data/calls.csv?raw';
import factsCsv from '../../../data/facts.csv?raw';
import type { Engine } from '$lib/engine/types';

/** Earthquake onset as the article states it ("5月12日14时28分"), local time UTC+8. */
export const ONSET = '2008-05-12 14:28:00';

export { OUTCOMES, type Outcome } from './outcomes';

export const DEPARTMENTS = ['座席一部', '座席二部', '座席三部'] as const;

export const SOURCE = {
	title: '震不断的优质服务声线',
	publisher: '中国工商银行信用卡电话服务中心（成都，95588）',
	published: '2008-06-04'
};

// Column types are stated, not sniffed: six rows are too few for reliable
// detection, and a typo in the CSV should fail loudly rather than turn a column into text.
const CALL_COLUMNS = {
	id: 'VARCHAR',
	record_type: 'VARCHAR',
	agent: 'VARCHAR',
	agent_pinyin: 'VARCHAR',
	department: 'VARCHAR',
	department_en: 'VARCHAR',
	business_type: 'VARCHAR',
	business_type_en: 'VARCHAR',
	customer_as_written: 'VARCHAR',
	in_progress_at_onset: 'BOOLEAN',
	start_time: 'TIMESTAMP',
	end_time: 'TIMESTAMP',
	pre_onset_seconds: 'INTEGER',
	in_quake_seconds: 'INTEGER',
	outcome: 'VARCHAR',
	agent_left_after_onset_seconds: 'INTEGER',
	derived_fields: 'VARCHAR',
	source_quote: 'VARCHAR',
	note: 'VARCHAR'
};

const FACT_COLUMNS = {
	id: 'VARCHAR',
	claim: 'VARCHAR',
	claim_zh: 'VARCHAR',
	claim_en: 'VARCHAR',
	operator: 'VARCHAR',
	value: 'DOUBLE',
	at: 'TIMESTAMP',
	unit: 'VARCHAR',
	metric: 'VARCHAR',
	quote: 'VARCHAR'
};

function readCsv(file: string, columns: Record<string, string>): string {
	const spec = Object.entries(columns)
		.map(([name, type]) => `'${name}': '${type}'`)
		.join(', ');
	return `read_csv('${file}', header = true, auto_detect = false, delim = ',', quote = '"', columns = {${spec}})`;
}

/** Loads the story CSVs into the `calls` and `facts` tables (once per engine). */
export async function loadStory(engine: Engine): Promise<void> {
	await engine.registerText('story_calls.csv', callsCsv);
	await engine.registerText('story_facts.csv', factsCsv);
	await engine.exec(`CREATE OR REPLACE TABLE calls AS SELECT * FROM ${readCsv('story_calls.csv', CALL_COLUMNS)}`);
	await engine.exec(`CREATE OR REPLACE TABLE facts AS SELECT * FROM ${readCsv('story_facts.csv', FACT_COLUMNS)}`);
}
