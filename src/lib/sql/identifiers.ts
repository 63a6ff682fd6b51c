/**
 * Identifiers (table and column names) cannot be bound as parameters, so the ones
 * that come from files or users are validated and quoted here, and nowhere else.
 */
const SAFE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** A table name we generate ourselves (e.g. `ds_ab12cd`): lower-case, checked. */
export function tableName(name: string): string {
	if (!SAFE_NAME.test(name)) throw new Error(`Invalid table name: ${JSON.stringify(name)}`);
	return name;
}

/** A column name we chose ourselves (the canonical model's, the story's): lower-case, checked. */
export function columnName(name: string): string {
	if (!SAFE_NAME.test(name)) throw new Error(`Invalid column name: ${JSON.stringify(name)}`);
	return name;
}

/**
 * A column name from a file header, quoted for SQL. Any text is allowed (files have
 * Chinese or spaced headers), but control characters are refused, and double quotes
 * are doubled so the name can never end the quoted identifier.
 */
export function quoteIdent(name: string): string {
	if (name.length === 0 || name.length > 255 || /[\u0000-\u001f]/.test(name)) throw new Error(`Invalid column name: ${JSON.stringify(name)}`);
	return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal for DDL options that cannot take parameters (file names we chose). */
export function quoteLiteral(text: string): string {
	if (/[\u0000]/.test(text)) throw new Error('Invalid literal');
	return `'${text.replace(/'/g, "''")}'`;
}
