import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/**
 * A row as `row_to_json` answers it (column names, JSON values) made into the row drizzle's own
 * queries give: property names, Dates, numbers. For statements drizzle cannot build as one, such as
 * several inserts in one round trip, each returning its row.
 */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value == null ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}
