import type { QueryEngine } from './types';

/**
 * Whether DuckDB holds table `name`: in `database` when given (an attached one), else in the
 * current database's main schema.
 */
export async function tableExists(engine: QueryEngine, name: string, database?: string): Promise<boolean> {
	const [found] = await engine.query<{ n: number }>(
		database === undefined
			? {
					sql: `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ? AND database_name = current_database() AND schema_name = 'main'`,
					params: [name]
				}
			: { sql: `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ? AND database_name = ?`, params: [name, database] }
	);
	return Number(found?.n) > 0;
}
