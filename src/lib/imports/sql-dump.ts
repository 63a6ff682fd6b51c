/**
 * A streaming reader of SQL dumps (`mysqldump`, MariaDB's `mariadb-dump`, `pg_dump` plain
 * format with COPY or with `--inserts`). It yields, per table, the rows of its INSERT and
 * COPY statements with the line each row starts on; everything else (comments, SET, DROP,
 * LOCK, ALTER, functions…) is skipped. Text arrives in chunks of any size: a statement, a
 * row or a string cut by a chunk's end waits for the next chunk.
 *
 * Only what a dump of call records needs is understood: values are kept as text (numbers as
 * written, NULL and `\N` as null), never evaluated.
 */

/** One row of a table, as text; `columns` are the names its values belong to, in order. */
export interface DumpRow {
	/** The table's name, without schema or quotes, lower-cased. */
	table: string;
	/** From the statement's column list, the table's CREATE TABLE, or the table's documented default; null if none is known. */
	columns: string[] | null;
	values: (string | null)[];
	/** The line of the dump the row starts on (1-based). */
	line: number;
}

/** A dump that cannot be read on: the line it stops at, and what was expected there. */
export class DumpSyntaxError extends Error {
	constructor(
		readonly line: number,
		readonly expected: 'tuple' | 'string' | 'end'
	) {
		super(`SQL dump: unexpected text at line ${line} (expected ${expected})`);
		this.name = 'DumpSyntaxError';
	}
}

/**
 * Asterisk's documented column order for its tables (the realtime schema, contrib/ast-db-manage),
 * for an INSERT with no column list in a dump with no CREATE TABLE.
 */
export const DEFAULT_TABLE_COLUMNS: Record<string, string[]> = {
	cdr: [
		'calldate',
		'clid',
		'src',
		'dst',
		'dcontext',
		'channel',
		'dstchannel',
		'lastapp',
		'lastdata',
		'duration',
		'billsec',
		'disposition',
		'amaflags',
		'accountcode',
		'uniqueid',
		'userfield',
		'peeraccount',
		'linkedid',
		'sequence'
	],
	queue_log: ['id', 'time', 'callid', 'queuename', 'agent', 'event', 'data1', 'data2', 'data3', 'data4', 'data5']
};

/** Whether text (a file's first bytes) looks like an SQL dump rather than records. */
export function looksLikeDump(sample: string): boolean {
	const text = sample.replace(/^\uFEFF/, '').trimStart();
	if (!/^(--|\/\*|#|SET\s|DROP\s|CREATE\s|INSERT\s|REPLACE\s|COPY\s|LOCK\s|USE\s|BEGIN|START\s)/i.test(text)) return false;
	return /^\s*(CREATE\s+TABLE|INSERT\s+(IGNORE\s+)?INTO|REPLACE\s+INTO|COPY\s+\S+[^\n]*\sFROM\s+stdin|DROP\s+TABLE|LOCK\s+TABLES|SET\s+\w+\s*=|\/\*!\d+)/im.test(
		text
	);
}

/** A name as the dump writes it (`public.cdr`, `` `cdr` ``, `"public"."cdr"`) → `cdr`. */
export function tableKey(name: string): string {
	const parts = name.match(/`[^`]*`|"[^"]*"|[^.\s]+/g) ?? [name];
	return unquoteName(parts[parts.length - 1]!).toLowerCase();
}

function unquoteName(name: string): string {
	const n = name.trim();
	if ((n.startsWith('`') && n.endsWith('`')) || (n.startsWith('"') && n.endsWith('"'))) return n.slice(1, -1);
	return n;
}

function columnList(text: string): string[] {
	return text
		.split(',')
		.map(unquoteName)
		.filter((c) => c !== '');
}

const NAME = String.raw`(?:[\w$]+|\`[^\`]*\`|"[^"]*")(?:\s*\.\s*(?:[\w$]+|\`[^\`]*\`|"[^"]*"))*`;
const INSERT_HEAD = new RegExp(
	String.raw`(?:INSERT|REPLACE)\s+(?:(?:IGNORE|DELAYED|LOW_PRIORITY|HIGH_PRIORITY)\s+)*(?:INTO\s+)?(${NAME})\s*(?:\(([^()]*)\))?\s*VALUES\s*`,
	'iy'
);
const COPY_HEAD = new RegExp(String.raw`COPY\s+(${NAME})\s*(?:\(([^()]*)\))?\s+FROM\s+stdin[^;\n]*;[^\n]*\n`, 'iy');
const CREATE_HEAD = new RegExp(
	String.raw`CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMPORARY|TEMP|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${NAME})\s*\(`,
	'iy'
);
/** Keywords that open a table constraint rather than a column in CREATE TABLE. */
const NOT_COLUMNS = /^(PRIMARY|KEY|UNIQUE|CONSTRAINT|INDEX|FULLTEXT|SPATIAL|FOREIGN|CHECK|EXCLUDE|LIKE|PERIOD)\b/i;
/** How far a statement's head may reach before it is taken for something else. */
const HEAD_MAX = 64 * 1024;
const NEED_MORE = -1;

type Mode =
	{ kind: 'top' } | { kind: 'values'; table: string; columns: string[] | null; first: boolean } | { kind: 'copy'; table: string; columns: string[] | null };

export class SqlDumpReader {
	private buf = '';
	private pos = 0;
	/** The line `pos` is on. */
	private line = 1;
	/** The first line break at or after `pos` (-1: none in the text read so far; -2: not looked for yet). */
	private newline = -2;
	private mode: Mode = { kind: 'top' };
	/** In a PostgreSQL dump (standard_conforming_strings on), a backslash in '…' is an ordinary character. */
	private backslashEscapes = true;
	private final = false;
	/** Columns of every CREATE TABLE seen, by table. */
	readonly created = new Map<string, string[]>();

	constructor(private readonly emit: (row: DumpRow) => void) {}

	/** Reads a chunk of text; rows complete in it are emitted. */
	push(text: string) {
		this.buf = this.buf.slice(this.pos) + text;
		this.pos = 0;
		this.newline = -2;
		this.run();
	}

	/** The dump has ended: what is left must be complete. */
	end() {
		this.final = true;
		// A closing quote or a last COPY line at the very end is then followed by something.
		this.buf = this.buf.slice(this.pos) + '\n';
		this.pos = 0;
		this.newline = -2;
		this.run();
		if (this.mode.kind === 'values' && !this.mode.first) throw new DumpSyntaxError(this.line, 'end');
	}

	private run() {
		let idle = 0;
		for (;;) {
			const before = this.pos;
			const mode = this.mode;
			const next = mode.kind === 'top' ? this.statement() : mode.kind === 'values' ? this.tuple(mode) : this.copyLine(mode);
			if (next === NEED_MORE) return;
			this.advance(next);
			// No text used and no change of mode twice running: nothing more can be read now.
			idle = this.pos === before && this.mode === mode ? idle + 1 : 0;
			if (idle > 1 || (this.pos === before && this.pos >= this.buf.length)) return;
		}
	}

	/** The first line break at or after `pos`, found once per chunk: a long one-line INSERT is not searched again for every row. */
	private firstNewline(): number {
		if (this.newline === -2 || (this.newline !== -1 && this.newline < this.pos)) this.newline = this.buf.indexOf('\n', this.pos);
		return this.newline;
	}

	private advance(to: number) {
		let i = this.firstNewline();
		for (; i !== -1 && i < to; i = this.buf.indexOf('\n', i + 1)) this.line++;
		this.pos = to;
		this.newline = i;
	}

	private lineAt(at: number): number {
		let line = this.line;
		for (let i = this.firstNewline(); i !== -1 && i < at; i = this.buf.indexOf('\n', i + 1)) line++;
		return line;
	}

	/** At statement level: skips blanks, comments and statements of no interest; opens INSERT and COPY; reads CREATE TABLE. */
	private statement(): number {
		const { buf } = this;
		let at = this.pos;
		while (at < buf.length && /\s|;/.test(buf[at]!)) at++;
		if (at >= buf.length) return this.final || at > this.pos ? at : NEED_MORE;
		const rest = buf.length - at;
		if (rest < 2 && !this.final) return at > this.pos ? at : NEED_MORE;
		if (buf.startsWith('--', at) || buf[at] === '#') {
			const end = buf.indexOf('\n', at);
			return end === -1 ? (this.final ? buf.length : NEED_MORE) : end + 1;
		}
		if (buf.startsWith('/*', at)) {
			const end = buf.indexOf('*/', at + 2);
			return end === -1 ? (this.final ? buf.length : NEED_MORE) : end + 2;
		}
		const word = /^[A-Za-z]+/.exec(buf.slice(at, at + 12))?.[0]?.toUpperCase() ?? '';
		if (word.length === buf.length - at && !this.final) return NEED_MORE;
		if (word === 'DELIMITER') {
			const end = buf.indexOf('\n', at);
			return end === -1 ? (this.final ? buf.length : NEED_MORE) : end + 1;
		}
		if (word === 'INSERT' || word === 'REPLACE' || word === 'COPY' || word === 'CREATE') {
			const head = word === 'COPY' ? COPY_HEAD : word === 'CREATE' ? CREATE_HEAD : INSERT_HEAD;
			head.lastIndex = at;
			const m = head.exec(buf);
			if (m) {
				const table = tableKey(m[1]!);
				const listed = m[2] !== undefined ? columnList(m[2]) : null;
				if (word === 'CREATE') return this.createTable(table, head.lastIndex);
				const columns = listed ?? this.created.get(table) ?? DEFAULT_TABLE_COLUMNS[table] ?? null;
				this.mode = word === 'COPY' ? { kind: 'copy', table, columns } : { kind: 'values', table, columns, first: true };
				return head.lastIndex;
			}
			// Not yet the whole head (COPY's runs to its line's end): wait for it, unless it is long past any head's length.
			const end = statementEnd(buf, at, this.backslashEscapes);
			const whole = end !== NEED_MORE && (word !== 'COPY' || buf.indexOf('\n', end) !== -1);
			if (!this.final && rest < HEAD_MAX && !whole) return NEED_MORE;
		}
		const end = statementEnd(buf, at, this.backslashEscapes);
		if (end === NEED_MORE) return this.final ? buf.length : NEED_MORE;
		if (word === 'SET' && /standard_conforming_strings\s*=\s*'?on/i.test(buf.slice(at, end))) this.backslashEscapes = false;
		return end;
	}

	/** CREATE TABLE name ( … ): the names of its columns, in order. */
	private createTable(table: string, bodyStart: number): number {
		const end = statementEnd(this.buf, bodyStart, this.backslashEscapes);
		if (end === NEED_MORE) return this.final ? this.buf.length : NEED_MORE;
		const columns: string[] = [];
		for (const definition of splitTopLevel(this.buf.slice(bodyStart, end))) {
			const text = definition.trim();
			if (!text || NOT_COLUMNS.test(text)) continue;
			const name = /^(`[^`]*`|"[^"]*"|[^\s(]+)/.exec(text)?.[1];
			if (name) columns.push(unquoteName(name));
		}
		if (columns.length) this.created.set(table, columns);
		return end;
	}

	/** In INSERT … VALUES: one `( … )` and the comma after it, or the statement's end. */
	private tuple(mode: Extract<Mode, { kind: 'values' }>): number {
		const { buf } = this;
		let at = skipBlank(buf, this.pos);
		if (at >= buf.length) return this.final ? this.endValues(at) : NEED_MORE;
		if (!mode.first) {
			if (buf[at] === ',') at = skipBlank(buf, at + 1);
			else return this.endValues(at);
			if (at >= buf.length) return this.final ? this.endValues(at) : NEED_MORE;
		}
		if (buf[at] !== '(') {
			if (mode.first) throw new DumpSyntaxError(this.lineAt(at), 'tuple');
			return this.endValues(at);
		}
		const values: (string | null)[] = [];
		let i = at + 1;
		for (;;) {
			i = skipBlank(buf, i);
			if (i >= buf.length) return this.needMore('tuple');
			const value = readValue(buf, i, this.backslashEscapes, this.final);
			if (value === NEED_MORE) return this.needMore('string');
			values.push(value.text);
			i = skipBlank(buf, value.end);
			if (i >= buf.length) return this.needMore('tuple');
			if (buf[i] === ',') i++;
			else if (buf[i] === ')') break;
			else throw new DumpSyntaxError(this.lineAt(i), 'tuple');
		}
		mode.first = false;
		this.emit({ table: mode.table, columns: mode.columns, values, line: this.lineAt(at) });
		return i + 1;
	}

	/** After the last tuple: `;`, or a clause such as ON DUPLICATE KEY UPDATE up to the `;`. */
	private endValues(at: number): number {
		const end = statementEnd(this.buf, at, this.backslashEscapes);
		// Not ended yet: wait, the statement still open.
		if (end === NEED_MORE && !this.final) return NEED_MORE;
		this.mode = { kind: 'top' };
		return end === NEED_MORE ? this.buf.length : end;
	}

	private needMore(expected: 'tuple' | 'string'): number {
		if (this.final) throw new DumpSyntaxError(this.line, expected);
		return NEED_MORE;
	}

	/** In COPY … FROM stdin: one tab-separated line, or `\.` which ends the data. */
	private copyLine(mode: Extract<Mode, { kind: 'copy' }>): number {
		const { buf } = this;
		const newline = buf.indexOf('\n', this.pos);
		if (newline === -1 && !this.final) return NEED_MORE;
		const end = newline === -1 ? buf.length : newline;
		const text = buf.slice(this.pos, end).replace(/\r$/, '');
		if (text === '\\.' || (newline === -1 && text === '')) {
			this.mode = { kind: 'top' };
			return newline === -1 ? end : end + 1;
		}
		const values = text.split('\t').map((field) => (field === '\\N' ? null : unescapeCopy(field)));
		this.emit({ table: mode.table, columns: mode.columns, values, line: this.line });
		return newline === -1 ? end : end + 1;
	}
}

function skipBlank(buf: string, at: number): number {
	while (at < buf.length) {
		const c = buf.charCodeAt(at);
		if (c === 32 || c === 10 || c === 13 || c === 9) at++;
		else if (c === 45 && buf.charCodeAt(at + 1) === 45) {
			const end = buf.indexOf('\n', at);
			if (end === -1) return buf.length;
			at = end + 1;
		} else break;
	}
	return at;
}

/**
 * The index just past the `;` ending the statement that starts at `at`, outside strings,
 * quoted names, comments and PostgreSQL's dollar quotes; NEED_MORE if the text ends first.
 */
function statementEnd(buf: string, at: number, backslashEscapes: boolean): number {
	let i = at;
	while (i < buf.length) {
		const c = buf[i]!;
		if (c === ';') return i + 1;
		if (c === "'" || c === '"' || c === '`') {
			const end = quotedEnd(buf, i, c, c === "'" && (backslashEscapes || /[eE]/.test(buf[i - 1] ?? '')));
			if (end === NEED_MORE) return NEED_MORE;
			i = end;
		} else if (c === '-' && buf[i + 1] === '-') {
			const end = buf.indexOf('\n', i);
			if (end === -1) return NEED_MORE;
			i = end + 1;
		} else if (c === '/' && buf[i + 1] === '*') {
			const end = buf.indexOf('*/', i + 2);
			if (end === -1) return NEED_MORE;
			i = end + 2;
		} else if (c === '$') {
			const tag = /^\$[A-Za-z_]*\$/.exec(buf.slice(i, i + 64))?.[0];
			if (tag) {
				const end = buf.indexOf(tag, i + tag.length);
				if (end === -1) return NEED_MORE;
				i = end + tag.length;
			} else i++;
		} else i++;
	}
	return NEED_MORE;
}

/** The index just past a quoted string or name opened at `at`; NEED_MORE if it may go on. */
function quotedEnd(buf: string, at: number, quote: string, backslash: boolean): number {
	let i = at + 1;
	while (i < buf.length) {
		const c = buf[i]!;
		if (backslash && c === '\\') i += 2;
		else if (c === quote) {
			if (i + 1 >= buf.length) return NEED_MORE; // a doubled quote may be cut by the chunk
			if (buf[i + 1] === quote) i += 2;
			else return i + 1;
		} else i++;
	}
	return NEED_MORE;
}

/** Splits a CREATE TABLE body on its top-level commas. */
function splitTopLevel(body: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < body.length; i++) {
		const c = body[i]!;
		if (c === "'" || c === '"' || c === '`') {
			const end = quotedEnd(body + ' ', i, c, false);
			i = (end === NEED_MORE ? body.length : end) - 1;
		} else if (c === '(') depth++;
		else if (c === ')') {
			if (depth === 0) {
				parts.push(body.slice(start, i));
				return parts;
			}
			depth--;
		} else if (c === ',' && depth === 0) {
			parts.push(body.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(body.slice(start));
	return parts;
}

/** One value of a tuple: a string (MySQL `_binary '…'`, PostgreSQL `E'…'`, a `::type` after it), a number, NULL. */
function readValue(buf: string, at: number, backslashEscapes: boolean, final: boolean): { text: string | null; end: number } | typeof NEED_MORE {
	let i = at;
	let escapes = backslashEscapes;
	const first = buf[i];
	if (first === '_' || first === 'E' || first === 'e') {
		const prefix = /^(?:_[A-Za-z0-9]+\s*|[eE])'/.exec(buf.slice(i, i + 24));
		if (!prefix && i + 24 > buf.length && !final) return NEED_MORE;
		if (prefix) {
			escapes ||= prefix[0].length === 2;
			i += prefix[0].length - 1;
		}
	}
	if (buf[i] === "'") {
		const end = quotedEnd(buf, i, "'", escapes);
		if (end === NEED_MORE) return NEED_MORE;
		const text = unescapeString(buf.slice(i + 1, end - 1), escapes);
		// A cast after the string (`'…'::timestamp`) is not part of the value.
		let j = end;
		while (j < buf.length && buf[j] !== ',' && buf[j] !== ')') j++;
		if (j >= buf.length && !final) return NEED_MORE;
		return { text, end: j };
	}
	let j = i;
	let depth = 0;
	while (j < buf.length) {
		const c = buf[j]!;
		if (c === '(') depth++;
		else if (c === ')') {
			if (depth === 0) break;
			depth--;
		} else if (c === ',' && depth === 0) break;
		j++;
	}
	if (j >= buf.length && !final) return NEED_MORE;
	const raw = buf.slice(i, j).trim();
	const text = /^null$/i.test(raw) || raw === '\\N' ? null : raw;
	return { text, end: j };
}

const STRING_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', Z: '\x1a', '0': '\0' };

/** The text of a quoted string: doubled quotes, and with backslash escapes `\'` `\\` `\n` `\t` `\0` … */
function unescapeString(body: string, backslash: boolean): string {
	if (!backslash) return body.includes("''") ? body.replace(/''/g, "'") : body;
	if (!body.includes('\\') && !body.includes("''")) return body;
	return body.replace(/''|\\(.)/gs, (all, c: string | undefined) => (c === undefined ? "'" : (STRING_ESCAPES[c] ?? c)));
}

const COPY_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '\\': '\\' };

/** A COPY field's text: `\n`, `\t`, `\\`, octal `\123` and hex `\x41` escapes. */
function unescapeCopy(field: string): string {
	if (!field.includes('\\')) return field;
	return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, c: string) => {
		if (c[0] === 'x' && c.length > 1) return String.fromCharCode(parseInt(c.slice(1), 16));
		if (/^[0-7]+$/.test(c)) return String.fromCharCode(parseInt(c, 8));
		return COPY_ESCAPES[c] ?? c;
	});
}
