import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase, backend } from '../helpers/db.js';
import type { Database } from '../../server/db/client.js';
import { caseEvents, cases } from '../../server/db/schema.js';
import { caseColumns } from '../../server/db/rows.js';
import {
  insertRowsStatement,
  insertStatement,
  joinStatements,
  render,
  runStatement,
  updateStatement,
} from '../../server/db/statementText.js';

/** The intake's statements as text built once per shape: the same text and values drizzle would send. */
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const event = (o: Partial<typeof caseEvents.$inferInsert> = {}) => ({
  caseId: randomUUID(),
  actorType: 'system' as const,
  action: 'received',
  toState: '受理',
  note: `note ${randomUUID()}`,
  attachments: ['a.jpg'],
  data: { reportId: randomUUID(), n: 1 },
  ...o,
});

describe(`statements built once per shape (${backend})`, () => {
  it('give the text and values drizzle renders, on the first call and on later ones', () => {
    const { db } = database;
    for (const values of [event(), event(), event({ data: null, note: null }), event({ actorId: 'x' })]) {
      for (const returning of [false, true]) {
        const insert = db.insert(caseEvents).values(values);
        expect(insertStatement(db, caseEvents, values, returning)).toEqual(
          render(returning ? insert.returning() : insert),
        );
      }
    }
  });

  it('leave a value that is SQL to drizzle, each time', () => {
    const { db } = database;
    for (const note of ['a', 'b']) {
      const values = { ...event(), note: sql`${note} || '!'` };
      expect(insertStatement(db, caseEvents, values)).toEqual(render(db.insert(caseEvents).values(values)));
    }
  });

  it('give the multi-row insert drizzle renders for rows of one shape, and leave other rows to drizzle', () => {
    const { db } = database;
    const same = [event(), event({ action: 'register', fromState: '受理', toState: '立案' }), event()].map((e) => ({
      fromState: null,
      ...e,
    }));
    for (const rows of [same.slice(0, 1), same.slice(0, 2), same]) {
      expect(insertRowsStatement(db, caseEvents, rows)).toEqual(render(db.insert(caseEvents).values(rows)));
    }
    const mixed = [event(), event({ actorId: 'x' })];
    expect(insertRowsStatement(db, caseEvents, mixed)).toEqual(render(db.insert(caseEvents).values(mixed)));
  });

  it('insert the rows in the order given, and wrap a value in an expression of the same statement', async () => {
    const { db } = database;
    const caseId = randomUUID();
    const rows = ['received', 'register', 'dispatch'].map((action) => event({ caseId, action }));
    await runStatement(db, insertRowsStatement(db, caseEvents, rows));
    const stored = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id);
    expect(stored.map((r) => r.action)).toEqual(['received', 'register', 'dispatch']);

    const wrapped = insertStatement(db, caseEvents, event({ note: 'n-' }), true, { note: `(? || (select x from w))` });
    const [row] = await runStatement<{ note: string }>(
      db,
      joinStatements(['with w as (select 41 + 1 as x), e as (', wrapped, ') select note from e']),
    );
    expect(row.note).toBe('n-42');
  });

  it('give the guarded update drizzle renders, with SQL in the set, and build one with parameters in it each time', () => {
    const { db } = database;
    const now = new Date();
    const patches = [
      { state: '立案', updatedAt: now, version: sql`${cases.version} + 1`, needsReview: false },
      { state: '派遣', updatedAt: now, version: sql`${cases.version} + 1`, needsReview: false },
      { state: '返工', urgedAt: null, reworkCount: sql`${cases.reworkCount} + 1`, version: sql`${cases.version} + 1` },
      {
        state: '返工',
        urgedAt: null,
        reworkCount: sql`${cases.reworkCount} + ${2}`,
        version: sql`${cases.version} + 1`,
      },
      {
        state: '返工',
        urgedAt: null,
        reworkCount: sql`${cases.reworkCount} + ${3}`,
        version: sql`${cases.version} + 1`,
      },
      { pendingExtension: { hours: 24, note: 'n', by: 'x', at: now.toISOString() }, updatedAt: now },
    ];
    for (const patch of patches) {
      const id = randomUUID();
      const expected = render(
        db
          .update(cases)
          .set(patch)
          .where(and(eq(cases.id, id), eq(cases.version, 3)))
          // The case as the service reads it: without the search vector.
          .returning(caseColumns),
      );
      expect(updateStatement(db, cases, patch, { id, version: 3 })).toEqual(expected);
    }
  });

  it('renumber the parameters of joined statements', () => {
    const joined = joinStatements([
      'with a as (',
      { text: 'select $1::int as x, $2::text as y', values: [1, 'one'] },
      '), b as (',
      { text: 'select $1::int as x', values: [2] },
      ') select a.x + b.x as sum, a.y from a, b where $1::text is not null',
    ]);
    expect(joined.text).toContain('select $3::int as x');
    expect(joined.values).toEqual([1, 'one', 2]);
  });

  it('run on the transaction, a null JSON value stored as SQL NULL, the same text again as a named statement', async () => {
    const { db } = database;
    const values = event({ data: null });
    await db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) {
        const [row] = await runStatement<{ id: string | number; data: unknown }>(
          tx,
          insertStatement(tx, caseEvents, { ...values, note: `try ${i}` }, true),
        );
        expect(row.data).toBeNull();
      }
    });
    const stored = await db
      .select({ note: caseEvents.note, isNull: sql<boolean>`${caseEvents.data} is null` })
      .from(caseEvents)
      .where(eq(caseEvents.caseId, values.caseId));
    expect(stored.map((r) => r.note).sort()).toEqual(['try 0', 'try 1', 'try 2']);
    expect(stored.every((r) => r.isNull)).toBe(true);
  });

  it('roll back with the transaction they ran in', async () => {
    const { db } = database;
    const values = event();
    await expect(
      db.transaction(async (tx) => {
        await runStatement(tx, insertStatement(tx, caseEvents, values));
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await db.select().from(caseEvents).where(eq(caseEvents.caseId, values.caseId))).toEqual([]);
  });
});
