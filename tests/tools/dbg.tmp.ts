import { openNodeEngine } from '$lib/db/node';
import { groupQuery, DEFAULT_SETTINGS, NO_FILTER } from '$lib/metrics/service';
const e = await openNodeEngine();
await e.exec(`CREATE TABLE calls AS SELECT 'q' || (i % 2) AS queue, 'a' || (i % 3) AS agent, TIMESTAMP '2008-05-01' + INTERVAL (i * 7) SECOND AS arrival, CASE WHEN i % 10 = 0 THEN 'abandoned' ELSE 'answered' END AS outcome, (i % 60)::DOUBLE AS wait_s, 100.0 AS talk_s, NULL::DOUBLE AS hold_s, 10.0 AS wrap_s FROM range(200) t(i)`);
const q = groupQuery('calls', DEFAULT_SETTINGS, NO_FILTER, 'queue');
console.log(q.sql);
console.log(await e.query(q));
