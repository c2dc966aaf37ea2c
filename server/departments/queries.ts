import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DepartmentRow } from '../db/rows.js';
import { departments } from '../db/schema.js';

/** Departments: the reads and writes of the admin's department pages, the console and the webhooks. */

export async function findDepartment(services: Services, id: number): Promise<DepartmentRow | undefined> {
  const [row] = await services.database.db.select().from(departments).where(eq(departments.id, id));
  return row;
}

export async function departmentByCode(services: Services, code: string): Promise<DepartmentRow | undefined> {
  const [row] = await services.database.db.select().from(departments).where(eq(departments.code, code));
  return row;
}

export const listDepartments = (services: Services) =>
  services.database.db.select().from(departments).orderBy(departments.id);

export type NewDepartment = Pick<
  DepartmentRow,
  'code' | 'name' | 'delivery' | 'webhookUrl' | 'webhookSecret' | 'agency'
>;

/** The new department, or undefined when the code is taken. */
export async function createDepartment(services: Services, values: NewDepartment): Promise<DepartmentRow | undefined> {
  const [row] = await services.database.db.insert(departments).values(values).onConflictDoNothing().returning();
  services.invalidate('departments');
  return row;
}

export async function updateDepartment(
  services: Services,
  id: number,
  patch: Partial<Omit<DepartmentRow, 'id'>>,
): Promise<DepartmentRow> {
  const [row] = await services.database.db.update(departments).set(patch).where(eq(departments.id, id)).returning();
  services.invalidate('departments');
  return row;
}
