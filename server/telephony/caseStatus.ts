import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { cases } from '../db/schema.js';

/** What the IVR reads back for a case number: its state in words a caller understands. */
const spoken: Record<string, string> = {
  受理: '已受理，正在核实',
  立案: '已立案，等待派遣',
  派遣: '已派遣到责任部门',
  处置中: '正在处置',
  已处置: '已处置，等待核查',
  核查: '已处置，正在核查',
  回访: '已处置完毕，我们将回访您',
  结案: '已结案',
  不予立案: '不属于受理范围，未予立案',
  转办: '已转交相关部门办理',
  挂账: '已纳入长期整改计划',
};

export async function caseStatusForIvr(services: Services, caseNo: string): Promise<string | null> {
  const [kase] = await services.database.db.select({ state: cases.state }).from(cases).where(eq(cases.caseNo, caseNo));
  return kase ? (spoken[kase.state] ?? kase.state) : null;
}
