import { and, desc, eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { caseEvents, departments } from '../db/schema.js';
import type { CaseRow } from '../db/rows.js';
import { TEMPLATES, type CaseNotice, type TemplateKind } from '../wechatApi/templates.js';
import type { ChatNotice } from './messages.js';

export interface Notices {
  subscribe: CaseNotice;
  chat: ChatNotice;
}

/** What a notice about this case says, for both WeChat surfaces. */
export async function noticesFor(
  services: Services,
  tx: DbOrTx,
  kase: CaseRow,
  kind: TemplateKind,
  at: Date,
): Promise<Notices> {
  const categoryName = (await services.categories()).name(kase.categoryCode);
  const [dept] = kase.departmentId
    ? await tx.select({ name: departments.name }).from(departments).where(eq(departments.id, kase.departmentId))
    : [];
  let note: string | null = null;
  if (kind === 'resolved') {
    const [resolve] = await tx
      .select({ note: caseEvents.note })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, kase.id), eq(caseEvents.action, 'resolve')))
      .orderBy(desc(caseEvents.id))
      .limit(1);
    note = resolve?.note ?? null;
  }
  if (kind === 'dispatched' && dept) note = `已派遣至${dept.name}`;
  return {
    subscribe: {
      caseNo: kase.caseNo,
      categoryName: categoryName ?? kase.title,
      address: kase.address ?? '',
      state: TEMPLATES[kind].status,
      at,
      ...(note ? { note } : {}),
    },
    chat: {
      caseNo: kase.caseNo,
      title: kase.title,
      categoryName,
      address: kase.address,
      departmentName: dept?.name ?? null,
      note,
    },
  };
}
