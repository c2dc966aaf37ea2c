import { z } from 'zod';
import { CASE_NO } from '../../cases/caseNumber.js';

/** What a department's system sends back about a case. */
export const statusBody = z.object({
  eventId: z.string().trim().min(8).max(128),
  caseNo: z.string().regex(CASE_NO, 'caseNo: 13 或 14 位案件编号'),
  action: z.enum(['accept', 'return', 'resolve', 'request_extension']),
  note: z.string().trim().max(2000).optional(),
  hours: z.number().positive().max(720).optional(),
});
