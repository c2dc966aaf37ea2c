import { desc, eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { cases, deliveries, departments } from '../db/schema.js';

/** Deliveries that gave up, newest first, with their case number and department's name. */
export const deadDeliveries = (services: Services) =>
  services.database.db
    .select({ d: deliveries, caseNo: cases.caseNo, department: departments.name })
    .from(deliveries)
    .innerJoin(cases, eq(cases.id, deliveries.caseId))
    .innerJoin(departments, eq(departments.id, deliveries.departmentId))
    .where(eq(deliveries.status, 'dead'))
    .orderBy(desc(deliveries.createdAt));
