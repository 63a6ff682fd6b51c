import { coordinator } from '$lib/query/client';
import { tableName } from '$lib/sql/identifiers';
import { fileText, keepAnswers, readAnswers, type Answer } from './remembered-answers';
import { yieldToPage } from '$lib/yield-to-page';

/**
 * A stored dataset's remembered answers (`remembered-answers.ts`) in the origin-private file
 * system, beside its stored copy: read and pinned in the coordinator when the dataset is
 * reopened, written once the page has its answers and is idle.
 */
export const rememberedFileName = (table: string) => `${tableName(table)}.answers.json`;

/** After the last answer a page settles on, this long without another before writing (a user moving a filter writes once). */
const WRITE_DELAY_MS = 1500;

const directory = () => navigator.storage.getDirectory();
/** The set of keys, in any order (using an answer moves it in the coordinator's order). */
const signature = (keys: string[]) => [...keys].sort().join('\n');

/** A step's share of the page's thread before it yields: well under a frame. */
const STEP_BUDGET_MS = 8;

/**
 * Runs a generator of `remembered-answers.ts` in tasks of at most about 8 ms, so that no step holds
 * the page long. (Not a task per answer: every question about the dataset waits for its recall.)
 */
async function inSteps<T>(steps: Generator<void, T>): Promise<T> {
	let since = performance.now();
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
		if (performance.now() - since < STEP_BUDGET_MS) continue;
		await yieldToPage();
		since = performance.now();
	}
}

class RememberedAnswers {
	private recalled = new Map<string, Promise<void>>();
	private timers = new Map<string, ReturnType<typeof setTimeout>>();
	private writing = new Map<string, Promise<void>>();
	/** What the file holds, by its keys: an unchanged set is not written again. */
	private inFile = new Map<string, string>();
	/** Deleted datasets: a page still showing one must not write its file back. */
	private gone = new Set<string>();

	/**
	 * Pins the table's remembered answers (once per page): resolves when they are pinned, or
	 * when there are none to pin; a missing, corrupt or old file is ignored.
	 */
	recall(table: string): Promise<void> {
		let recalling = this.recalled.get(table);
		if (!recalling) {
			recalling = (async () => {
				const file = await (await (await directory()).getFileHandle(rememberedFileName(table))).getFile();
				const answers: Answer[] = (await inSteps(readAnswers(await file.text(), table))) ?? [];
				// Deleted while its file was read: its answers must not be pinned back.
				if (this.gone.has(table)) return;
				for (const [key, rows] of answers) coordinator.pin(key, rows);
				this.inFile.set(table, signature(answers.map(([key]) => key)));
			})().catch(() => {});
			this.recalled.set(table, recalling);
		}
		return recalling;
	}

	/** Writes the table's answers once the page has been idle a moment (debounced). */
	later(table: string): void {
		if (this.gone.has(table)) return;
		clearTimeout(this.timers.get(table));
		this.timers.set(
			table,
			setTimeout(() => {
				this.timers.delete(table);
				void this.write(table);
			}, WRITE_DELAY_MS)
		);
	}

	private write(table: string): Promise<void> {
		const previous = this.writing.get(table) ?? Promise.resolve();
		const next = previous.then(async () => {
			// After every user question (cube builds may go on): the answers the page just showed.
			await coordinator.idle();
			if (this.gone.has(table)) return;
			const answered = coordinator.answered(table);
			// Unchanged since the file was written (or read): nothing to do, nothing serialised.
			if (!answered.length || this.inFile.get(table) === signature(answered.map(([key]) => key))) return;
			const { lines } = await inSteps(keepAnswers(answered, table));
			if (this.gone.has(table) || !lines.length) return;
			const handle = await (await directory()).getFileHandle(rememberedFileName(table), { create: true });
			const writable = await handle.createWritable();
			await writable.write(fileText(table, lines));
			await writable.close();
			this.inFile.set(table, signature(answered.map(([key]) => key)));
		});
		const settled = next.catch(() => {}); // a failed write costs only the next reopen's head start
		this.writing.set(table, settled);
		return settled;
	}

	/** Forgets the table's answers here and deletes its file (the dataset was deleted). */
	async forget(table: string): Promise<void> {
		this.gone.add(table);
		clearTimeout(this.timers.get(table));
		this.timers.delete(table);
		await this.writing.get(table);
		await this.recalled.get(table);
		this.recalled.delete(table);
		this.inFile.delete(table);
		await (await directory()).removeEntry(rememberedFileName(table)).catch(() => {});
	}
}

export const remembered = new RememberedAnswers();
