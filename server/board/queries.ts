import type { Services } from '../context.js';
import { sql } from 'drizzle-orm';
import { rowsOf, sqlList } from '../db/client.js';
import { satisfactionAnswers, satisfiedAnswers } from '../surveys/vocabulary.js';

export interface BoardCaseRow {
  caseNo: string;
  state: string;
  categoryCode: string | null;
  streetId: number | null;
  communityId: number | null;
  lat: number | null;
  lng: number | null;
  createdAt: Date;
  closedAt: Date | null;
  /** The department's last disposal note, the reply it published with 处置完毕. */
  reply: string | null;
  replyOverride: boolean;
}

/** States the public never sees: refused and transferred reports are not the city's problems to show. */
const hidden = ['不予立案', '转办'];

/** The newest cases for the public board, with the disposal reply of those that have one. */
export async function boardCases(services: Pick<Services, 'database'>, limit: number): Promise<BoardCaseRow[]> {
  const db = services.database.db;
  const r = await db.execute(sql`
    select c.case_no as "caseNo", c.state, c.category_code as "categoryCode", c.street_id as "streetId",
           c.community_id as "communityId", c.lat, c.lng, c.created_at as "createdAt", c.closed_at as "closedAt",
           e.note as reply, coalesce((e.data->>'override')::boolean, false) as "replyOverride"
      from cases c
      left join lateral (
        select note, data from case_events
         where case_id = c.id and action = 'resolve'
         order by id desc limit 1
      ) e on true
     where c.state not in (${sql.join(
       hidden.map((h) => sql`${h}`),
       sql`, `,
     )})
     order by c.created_at desc
     limit ${limit}`);
  return rowsOf<BoardCaseRow>(r).map((row) => ({
    ...row,
    createdAt: new Date(row.createdAt),
    closedAt: row.closedAt ? new Date(row.closedAt) : null,
  }));
}

export interface StreetMonthRow {
  streetId: number | null;
  received: number;
  closed: number;
  closedOnTime: number;
  answered: number;
  satisfied: number;
}

/**
 * The month's figures per street, by the definitions of server/stats/indicators.ts: the cases
 * received in the month (Beijing time), as of the month's end (or now): 结案率 = closed / received;
 * 按期结案率 = closed whose last 处置完毕 came by the deadline / closed; 满意率 = (满意 + 基本满意)
 * / answers. One query, grouped in the database.
 */
export async function streetMonth(
  services: Pick<Services, 'database'>,
  from: Date,
  to: Date,
  asOf: Date,
): Promise<StreetMonthRow[]> {
  const db = services.database.db;
  const r = await db.execute(sql`
    with month as (
      select c.id, c.street_id, c.deadline_at,
             exists (select 1 from case_events e where e.case_id = c.id and e.to_state = '结案' and e.created_at <= ${asOf})
               and c.state = '结案' as closed,
             (select max(e.created_at) from case_events e
               where e.case_id = c.id and e.action = 'resolve' and e.created_at <= ${asOf}) as last_resolve
        from cases c
       where c.created_at >= ${from} and c.created_at < ${to}
    ), answers as (
      select s.case_id,
             count(*) filter (where s.result in (${sqlList(satisfactionAnswers)})) as answered,
             count(*) filter (where s.result in (${sqlList(satisfiedAnswers)})) as satisfied
        from surveys s join month m on m.id = s.case_id
       where s.answered_at <= ${asOf}
       group by s.case_id
    )
    select m.street_id as "streetId",
           count(*)::int as received,
           count(*) filter (where m.closed)::int as closed,
           count(*) filter (where m.closed and m.deadline_at is not null and m.last_resolve <= m.deadline_at)::int as "closedOnTime",
           coalesce(sum(a.answered), 0)::int as answered,
           coalesce(sum(a.satisfied), 0)::int as satisfied
      from month m left join answers a on a.case_id = m.id
     group by m.street_id`);
  return (r as unknown as { rows: StreetMonthRow[] }).rows;
}
