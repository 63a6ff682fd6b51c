/**
 * The independent reference (see `common.ts`): one module per format, each giving per-call
 * records and the counts of what it left out, merged, repaired or warned about; and the
 * metrics over those calls. Nothing here imports from `src/`.
 */
export * from './common';
export { refBank } from './bank';
export { refAsteriskCdr, agentOfChannel } from './asterisk-cdr';
export { refFreeswitchCsv } from './freeswitch';
export { refQueueLog } from './queue-log';
export { refMetrics, refMetricsBy, type RefMetrics, type RefSettings } from './metrics';
