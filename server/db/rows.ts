import type {
  caseEvents,
  cases,
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

/** Row types, inferred from the schema: the one place a table's row type is named. */
export type CaseRow = typeof cases.$inferSelect;
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
