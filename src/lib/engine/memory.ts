import type { Engine } from './types';

/**
 * Memory the database holds now (tables, indexes, buffers), and its limit, as DuckDB reports them.
 * The limit is the setting: `pragma_database_size()` has a row per attached database (stored datasets are attached).
 */
export async function databaseMemory(engine: Engine): Promise<{ usedBytes: number; limit: string }> {
	const [row] = await engine.query<{ used: number; limit: string }>({
		sql: `SELECT (SELECT CAST(sum(memory_usage_bytes) AS BIGINT) FROM duckdb_memory()) AS used, current_setting('memory_limit') AS "limit"`,
		params: []
	});
	return { usedBytes: Number(row?.used ?? 0), limit: String(row?.limit ?? '') };
}
