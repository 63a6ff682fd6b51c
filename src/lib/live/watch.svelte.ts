import { DEFAULT_TARGET, type QueueTargets, type WallboardSnapshot } from '$lib/metrics/wallboard';
import { AppendedReader } from './appended-reader';
import { liveBoards } from './boards';
import { LiveState } from './live-state';
import { parseLogLine } from './log-event';

/**
 * A local queue_log watched from the browser, without a server (File System Access API,
 * Chromium): the picked file is read to its end, then every `pollMs` only what was appended
 * (`appended-reader.ts`). Its lines keep the same live state the server keeps
 * (`live-state.ts`), and the wallboard is given the live part of the server's snapshot
 * (`boards.ts`): calls waiting, the longest wait, agents' states. The calls are not measured
 * here: the snapshot says so (`measured: false`) and the page shows the measures as not
 * available. One watch per tab, kept across pages (the Import page starts it, the wallboard
 * shows it).
 */
export interface WatchedFile {
	name: string;
	getFile(): Promise<File>;
}

/** As the server's feed says it (`live.open`, …): no file yet, read, or the file could not be read. */
export type WatchStatus = 'connecting' | 'open' | 'unavailable';

const POLL_MS = 3000;

export class LocalWatch {
	snapshot = $state<WallboardSnapshot | null>(null);
	connection = $state<WatchStatus>('connecting');
	/** Whether a file is watched. */
	active = $state(false);
	/** Snapshots made (tests wait for a change). */
	received = $state(0);
	/** The watched file's name, or null. */
	name = $state<string | null>(null);
	error = $state<string | null>(null);
	readonly skewMs = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private generation = 0;

	constructor(
		private targets: QueueTargets = { default: DEFAULT_TARGET, queues: {} },
		private pollMs = POLL_MS
	) {}

	/** Starts watching `file` (a new watch replaces the one before); resolves once it is read to its end. */
	async start(file: WatchedFile): Promise<void> {
		this.stop();
		const generation = ++this.generation;
		// Local wall-clock days, as the browser's clock has them (the log's times are epoch seconds).
		const offset = -new Date().getTimezoneOffset() * 60;
		const fresh = () => new LiveState(offset, Object.keys(this.targets.queues), 0);
		let state = fresh();
		const reader = new AppendedReader();
		let lines = 0;
		this.name = file.name;
		this.error = null;
		this.connection = 'open';
		this.active = true;
		const look = async () => {
			try {
				const read = await reader.read(await file.getFile());
				if (generation !== this.generation) return;
				// A replaced file is a new log: what was kept of the old one goes.
				if (read.replaced) {
					state = fresh();
					lines = 0;
				}
				for (const line of read.lines) {
					const e = parseLogLine(line);
					if (!e) continue;
					lines++;
					if (state.startsNewDay(e)) state.rollOver(e.time);
					state.push(e);
				}
				this.publish(state, lines, file.name);
				this.connection = 'open';
				this.error = null;
			} catch (error) {
				if (generation !== this.generation) return;
				this.connection = 'unavailable';
				this.error = error instanceof Error ? error.message : String(error);
			}
			if (generation === this.generation) this.timer = setTimeout(() => void look(), this.pollMs);
		};
		await look();
	}

	private publish(state: LiveState, lines: number, name: string) {
		const nowMs = Date.now();
		const nowS = Math.max(nowMs / 1000, state.lastEvent ?? 0);
		const { queues, agents } = liveBoards(state, this.targets, nowS, () => undefined);
		this.snapshot = {
			now: nowMs,
			day: state.day,
			lastEvent: state.lastEvent,
			lines,
			dataset: { id: 'watch', name, calls: 0 },
			queues,
			agents,
			agentsTracked: state.agentEvents,
			measured: false
		};
		this.received++;
	}

	stop(): void {
		this.generation++;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.connection = 'connecting';
		this.active = false;
		this.snapshot = null;
		this.name = null;
	}
}

/** The tab's watch. */
export const localWatch = new LocalWatch();
