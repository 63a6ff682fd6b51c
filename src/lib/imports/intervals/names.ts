import type { IntervalField } from './fields';
import { looseHeader } from './layouts';
import { thresholdFromName } from './values';

/**
 * Column names of interval reports (English and Chinese, the vendors' and the generic ones),
 * tried in order: rates and averages before counts, so `Answer Rate` and `Answer Speed (AVG)`
 * are not read as answered calls.
 */
const RULES: [RegExp, IntervalField][] = [
	[/^(service level \(sec\)|sl threshold|service level target)/, 'sl_threshold'],
	[/(service level|serv levl|serv level|in serv|服务水平|服务级别|sl ?%|^sl$|^sl\b|service level met)/, 'sl_pct'],
	[/(answered within|ans within|handled within|接通.*秒内|秒内接通|秒内应答)/, 'answered_within'],
	[/(\brate\b|率|\bratio\b|%)/, 'unused'],
	[/(answer speed|speed of answer|speed ans|^asa\b|queue answer time|平均应答速度|平均应答时长|平均应答时间)/, 'asa'],
	[/(^aht\b|handle time|handling time|平均处理时长|平均处理时间)/, 'aht'],
	[/(abandon time|aban time|abandon wait|time to abandon|平均放弃时长|平均放弃时间)/, 'abandon_wait_avg'],
	[/(talk duration|talk time|acd time|平均通话时长|平均通话时间)/, 'talk_avg'],
	[/(hold time|平均保持时长)/, 'hold_avg'],
	[/(acw|after call|after contact work|wrap|平均话后)/, 'wrap_avg'],
	[/(waiting time|wait time|queue time|平均等待)/, 'unused'],
	[/(pos staff|staffed|agents logged|在席|坐席数)/, 'staffed_agents'],
	[/(short aban|短时放弃|快速放弃)/, 'short_abandoned'],
	[/(aban|放弃|未接)/, 'abandoned'],
	[/(offer|incoming|presented|contacts queued|calls queued|呼入|来电|进线)/, 'offered'],
	[/(calls handled|contacts handled|^acd calls$|^handled$|answer|接通|应答|接听)/, 'answered'],
	[/^(interval start|interval start time|start interval|startinterval|interval begin|start time|datetime|date time|timestamp|开始时间|时段开始)$/, 'start'],
	[/^(interval|interval time|time|时段|时间|时间段|时刻|times?)$/, 'time'],
	[/^(date|day|日期|统计日期)$/, 'date'],
	[/^(interval index|interval no\.?|interval number|index|period|时段序号|序号)$/, 'index'],
	[/^(queue|queue name|split\/skill|split|skill|skill name|csq|csq name|队列|队列名称|技能组|技能组名称)$/, 'queue']
];

/** What a column's name says it holds (and its T for a service level), or null. */
export function fieldOfName(name: string): { field: IntervalField; threshold?: number } | null {
	const loose = looseHeader(name);
	for (const [pattern, field] of RULES)
		if (pattern.test(loose)) {
			const threshold = field === 'sl_pct' || field === 'answered_within' ? thresholdFromName(name) : null;
			return threshold === null ? { field } : { field, threshold };
		}
	return null;
}
