// The bench's Mosaic peer: the Service level page's filters (a department menu, the KPI cards'
// measures, a time chart and a wait histogram with brushes, answered calls per agent), linked
// by one crossfilter selection over DuckDB-WASM, with Mosaic's pre-aggregation on (its default).
// The bench (src/cli/bench-mosaic.ts) serves it with the same generated file as holdline's.
import * as vg from '@uwdata/vgplot';
import * as duckdb from '@duckdb/duckdb-wasm';
import mvpModule from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehModule from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

const T = 20; // service level threshold, s
const S = 5; // short abandon, s
const ANSWERED = `outcome IN ('answered', 'interrupted')`;

const started = performance.now();
const bundle = await duckdb.selectBundle({ mvp: { mainModule: mvpModule, mainWorker: mvpWorker }, eh: { mainModule: ehModule, mainWorker: ehWorker } });
const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker));
await db.instantiate(bundle.mainModule);
const coordinator = vg.coordinator();
coordinator.databaseConnector(vg.wasmConnector({ duckdb: db }));
const file = new URLSearchParams(location.search).get('file') ?? 'calls.csv';
await db.registerFileBuffer('calls.csv', new Uint8Array(await (await fetch(file)).arrayBuffer()));
await coordinator.exec(`CREATE TABLE calls AS SELECT department AS queue, agent, CAST(arrival AS TIMESTAMP) AS arrival,
  CAST(wait_s AS DOUBLE) AS wait_s, CAST(talk_s AS DOUBLE) AS talk_s, CAST(hold_s AS DOUBLE) AS hold_s, CAST(wrap_s AS DOUBLE) AS wrap_s, outcome
FROM read_csv('calls.csv', header = true)`);
// The measures' conditions as columns (0/1, or the value where it counts), so the cards are plain sums Mosaic can pre-aggregate.
await coordinator.exec(`CREATE TABLE kpi_calls AS SELECT queue, agent, arrival, wait_s,
  (outcome <> 'other')::INT AS offered, (${ANSWERED})::INT AS answered, (outcome = 'abandoned')::INT AS abandoned,
  (outcome = 'abandoned' AND coalesce(wait_s, 0) < ${S})::INT AS short_abandoned, (outcome = 'unanswered')::INT AS unanswered,
  (${ANSWERED} AND coalesce(wait_s <= ${T}, false))::INT AS answered_within,
  CASE WHEN ${ANSWERED} THEN wait_s END AS answered_wait, CASE WHEN ${ANSWERED} THEN talk_s + coalesce(hold_s, 0) + coalesce(wrap_s, 0) END AS handle
FROM calls`);
await coordinator.exec(`CREATE VIEW answered_calls AS SELECT * FROM calls WHERE ${ANSWERED}`);
document.documentElement.dataset.loadedMs = String(Math.round(performance.now() - started));

const $filter = vg.Selection.crossfilter();

/** The KPI cards: holdline's nine measures (counts, and the sums and counts behind its means), finished here. */
class Kpis extends vg.MosaicClient {
	constructor(element, filterBy) {
		super(filterBy);
		this.element = element;
	}
	query(filter = []) {
		return vg.Query.from('kpi_calls')
			.select({
				volume: vg.count(),
				...Object.fromEntries(['offered', 'answered', 'abandoned', 'short_abandoned', 'unanswered', 'answered_within'].map((k) => [k, vg.sum(k)])),
				wait_sum: vg.sum('answered_wait'),
				wait_n: vg.count('answered_wait'),
				handle_sum: vg.sum('handle'),
				handle_n: vg.count('handle')
			})
			.where(filter);
	}
	queryResult(data) {
		const row = data.toArray()[0] ?? {};
		const v = (k) => Number(row[k] ?? 0);
		const shown = {
			volume: v('volume'),
			offered: v('offered'),
			answered: v('answered'),
			abandoned: v('abandoned'),
			'short abandoned': v('short_abandoned'),
			unanswered: v('unanswered'),
			'service level': v('offered') ? v('answered_within') / v('offered') : null,
			ASA: v('wait_n') ? v('wait_sum') / v('wait_n') : null,
			AHT: v('handle_n') ? v('handle_sum') / v('handle_n') : null,
			'abandon rate': v('offered') ? v('abandoned') / v('offered') : null
		};
		this.element.replaceChildren(
			...Object.entries(shown).map(([name, value]) => {
				const card = document.createElement('div');
				card.className = 'kpi';
				card.innerHTML = `${name}<b>${value == null ? '—' : Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(3)}</b>`;
				return card;
			})
		);
		return this;
	}
}

document.getElementById('menu').replaceChildren(vg.menu({ label: 'Department', as: $filter, from: 'calls', column: 'queue' }));
coordinator.connect(new Kpis(document.getElementById('kpis'), $filter));
document
	.getElementById('time')
	.replaceChildren(
		vg.plot(
			vg.rectY(vg.from('calls', { filterBy: $filter }), { x: vg.bin('arrival', { interval: 'hour' }), y: vg.count(), fill: 'steelblue', inset: 0 }),
			vg.intervalX({ as: $filter }),
			vg.width(1100),
			vg.height(180),
			vg.name('time')
		)
	);
document
	.getElementById('waits')
	.replaceChildren(
		vg.plot(
			vg.rectY(vg.from('calls', { filterBy: $filter }), { x: vg.bin('wait_s', { step: 4 }), y: vg.count(), fill: 'outcome', inset: 0.5 }),
			vg.intervalX({ as: $filter }),
			vg.width(700),
			vg.height(180),
			vg.name('waits')
		)
	);
document
	.getElementById('agents')
	.replaceChildren(
		vg.plot(
			vg.barX(vg.from('answered_calls', { filterBy: $filter }), { x: vg.count(), y: 'agent', sort: { y: '-x', limit: 30 }, fill: 'steelblue' }),
			vg.width(700),
			vg.height(500),
			vg.marginLeft(70)
		)
	);

// The bench's hook: resolves at the frame after the page last changed, once no query is pending
// and nothing changed for two frames (a brush or menu change → every view repainted).
const views = ['kpis', 'time', 'waits', 'agents'].map((id) => document.getElementById(id));
let lastMutation = performance.now();
const observer = new MutationObserver(() => (lastMutation = performance.now()));
for (const view of views) observer.observe(view, { childList: true, subtree: true, characterData: true });
const busy = () => coordinator.manager.pendingResults.length > 0;
window.__settled = () =>
	new Promise((resolve) => {
		let seen = lastMutation;
		let frameAfter = null;
		let quiet = 0;
		const check = (now) => {
			if (busy() || lastMutation !== seen || frameAfter === null) {
				seen = lastMutation;
				frameAfter = now;
				quiet = 0;
			} else if (++quiet >= 2) return resolve(frameAfter);
			requestAnimationFrame(check);
		};
		requestAnimationFrame(check);
	});
window.__coordinator = coordinator;
await window.__settled();
document.documentElement.dataset.ready = 'true';
