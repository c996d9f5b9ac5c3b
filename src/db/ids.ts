import { sql } from "drizzle-orm";
import type { Db } from "./client";

/** Allocates the next id of `table` atomically (a single upsert statement), before the row is inserted. */
export async function allocateId(db: Db, table: string): Promise<number> {
  const row = await db.get<{ value: number }>(sql`
    INSERT INTO id_sequences (name, value)
    VALUES (${table}, COALESCE((SELECT MAX(id) FROM ${sql.identifier(table)}), 0) + 1)
    ON CONFLICT (name) DO UPDATE SET value = value + 1
    RETURNING value`);
  return row.value;
}
