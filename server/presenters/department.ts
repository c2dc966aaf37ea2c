import type { departments } from '../db/schema.js';

type DepartmentRow = typeof departments.$inferSelect;

/** A department as the console sees it: the webhook secret never leaves, only whether there is one. */
export function presentDepartment({ webhookSecret, ...d }: DepartmentRow) {
  return { ...d, createdAt: d.createdAt.toISOString(), hasWebhookSecret: !!webhookSecret };
}
