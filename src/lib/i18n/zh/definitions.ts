/**
 * The metric definitions in Chinese, by the keys of `metricDefinitions` (metrics/service.ts),
 * whose English words stand beside the SQL they describe. {t} = T, {s} = S, {base} = the
 * service level's denominator under the abandon treatment (`base.*`).
 */
export const DEFINITIONS_ZH = {
	volume: '数据中的每一通电话',
	offered: '进入队列（分配给座席）的电话：已接听 + 放弃 + 未接（不含在 IVR 中结束的电话）',
	answered: '座席接起的电话（包括接起后中断的）',
	abandoned: '来电者在等待中挂断的电话',
	unanswered: '进入队列但既未接听、也不是来电者在等待中挂断的电话（超时、忙、失败）',
	short_abandoned: '等待不到 {s} 秒就放弃的电话',
	answered_within: '等待不超过 {t} 秒即接听的电话',
	service_level: '{t} 秒内接听 / {base}',
	asa_s: '已接听电话的平均等待时长（秒）',
	aht_s: '已接听电话的通话 + 保持 + 话后处理的平均时长（秒；保持与话后处理按数据中有的部分）',
	abandon_rate: '放弃 / 进入队列（含短放弃）',
	'base.count': '进入队列的电话',
	'base.exclude': '已接听的电话（放弃不计）',
	'base.exclude_short': '进入队列的电话减去短放弃（不到 {s} 秒）',
	'abandon_rate.short': '（放弃 − 短放弃）/（进入队列 − 短放弃），短放弃 = 不到 {s} 秒'
};
