/** The story dataset's columns, described for the About page (data/README.md says the same). */
export interface ColumnDoc {
	column: string;
	type: string;
	unit: string;
	zh: string;
	en: string;
}

export const CALL_COLUMN_DOCS: ColumnDoc[] = [
	{ column: 'id', type: 'VARCHAR', unit: '', zh: '稳定编号（C01…）', en: 'Stable id (C01…)' },
	{
		column: 'record_type',
		type: 'VARCHAR',
		unit: '',
		zh: 'call = 一通电话；episode = 数量未说明的多通电话',
		en: 'call = one call; episode = several calls, number not stated'
	},
	{ column: 'agent', type: 'VARCHAR', unit: '', zh: '座席员姓名（原文）', en: 'Agent name as written' },
	{ column: 'agent_pinyin', type: 'VARCHAR', unit: '', zh: '姓名拼音', en: 'Name in pinyin' },
	{ column: 'department', type: 'VARCHAR', unit: '', zh: '部门：座席一部 / 二部 / 三部', en: 'Department as written' },
	{ column: 'department_en', type: 'VARCHAR', unit: '', zh: '部门英文译名', en: 'English gloss of the department' },
	{ column: 'business_type', type: 'VARCHAR', unit: '', zh: '业务类型（原文）', en: 'Business type as written' },
	{ column: 'business_type_en', type: 'VARCHAR', unit: '', zh: '业务类型英文译名', en: 'English gloss of the business type' },
	{ column: 'customer_as_written', type: 'VARCHAR', unit: '', zh: '客户描述（原文）', en: 'Customer as the article describes them' },
	{ column: 'in_progress_at_onset', type: 'BOOLEAN', unit: '', zh: '14:28 地震发生时是否正在通话', en: 'Was the call in progress at 14:28?' },
	{ column: 'start_time', type: 'TIMESTAMP', unit: 'UTC+8', zh: '通话开始时间', en: 'Call start (local time)' },
	{ column: 'end_time', type: 'TIMESTAMP', unit: 'UTC+8', zh: '通话结束时间', en: 'Call end (local time)' },
	{ column: 'pre_onset_seconds', type: 'INTEGER', unit: 's', zh: '地震前已服务时长', en: 'Service before the onset' },
	{ column: 'in_quake_seconds', type: 'INTEGER', unit: 's', zh: '地震开始（或接起）后的服务时长', en: 'Service from the onset (or pick-up) to the end' },
	{ column: 'outcome', type: 'VARCHAR', unit: '', zh: '结果代码（见下）', en: 'Outcome code (below)' },
	{ column: 'agent_left_after_onset_seconds', type: 'INTEGER', unit: 's', zh: '座席员在地震后多久撤离', en: 'When the agent left the floor, after onset' },
	{
		column: 'derived_fields',
		type: 'VARCHAR',
		unit: '',
		zh: '由原文数值推算（而非原文直接给出）的字段，以分号分隔',
		en: 'Fields computed from stated values rather than stated, ;-separated'
	},
	{
		column: 'source_quote',
		type: 'VARCHAR',
		unit: '',
		zh: '支持该行的原文句子（多段以 “ … ” 连接）',
		en: 'The article’s sentence(s) behind the row (joined by “ … ”)'
	},
	{ column: 'note', type: 'VARCHAR', unit: '', zh: '推算方法与未说明之处', en: 'How derived values were computed; what is not stated' }
];
