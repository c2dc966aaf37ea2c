import { getTableColumns, type Table } from 'drizzle-orm';
import { cases } from './schema.js';
import type {
  caseEvents,
  categories,
  chatConversations,
  chatMessages,
  citizens,
  departments,
  reports,
  staffUsers,
  surveys,
  uploads,
} from './schema.js';

/**
 * A case as the service reads it: every column but the search vector, the character bigrams of its
 * title, description and address (kilobytes for a letter), which only SQL searches.
 */
export const caseColumns = (() => {
  const { searchVector: _searched, ...read } = getTableColumns(cases);
  return read;
})();

/** The columns a read of `table` returns (`returning`, `select`): all of them but what SQL alone uses. */
export const readColumns = <T extends Table>(table: T): T['_']['columns'] =>
  (table === (cases as Table) ? caseColumns : getTableColumns(table)) as T['_']['columns'];

/** Row types, inferred from the schema: the one place a table's row type is named. */
export type CaseRow = Omit<typeof cases.$inferSelect, 'searchVector'>;
export type CaseInsert = typeof cases.$inferInsert;
export type CaseEventRow = typeof caseEvents.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
export type ChatConversationRow = typeof chatConversations.$inferSelect;
export type ChatMessageRow = typeof chatMessages.$inferSelect;
export type CitizenRow = typeof citizens.$inferSelect;
export type CitizenInsert = typeof citizens.$inferInsert;
export type DepartmentRow = typeof departments.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;
export type StaffRow = typeof staffUsers.$inferSelect;
export type SurveyRow = typeof surveys.$inferSelect;
export type UploadRow = typeof uploads.$inferSelect;
