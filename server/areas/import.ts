import { eq, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { areas, gazetteerEntries, routingRules } from '../db/schema.js';
import { checkAreas, type Checked } from './validate.js';

export interface ImportResult extends Checked {
  imported: number;
  removed: number;
  /** Routing rules that named a removed area, switched off so nothing routes to a place that is gone. */
  deactivatedRules: number[];
}

const order = { district: 0, street: 1, community: 2, grid: 3 } as const;

/**
 * Loads a city's areas in one transaction, or nothing at all when the file has errors. Areas are
 * matched by code, so rules and cases that name a kept area keep working; areas not in the file are
 * removed (the demo city with them), their rules switched off, and the demo gazetteer, which
 * describes the demo city only, goes too.
 */
export async function importAreas(db: Db, collection: unknown): Promise<ImportResult> {
  const checked = checkAreas(collection);
  if (checked.errors.length) return { ...checked, imported: 0, removed: 0, deactivatedRules: [] };
  const sorted = [...checked.areas].sort((a, b) => order[a.level] - order[b.level]);
  return db.transaction(async (tx) => {
    const ids = new Map<string, number>();
    for (const a of sorted) {
      const values = {
        code: a.code,
        name: a.name,
        level: a.level,
        parentId: a.parentCode ? ids.get(a.parentCode)! : null,
        geometry: a.geometry,
        aliases: a.aliases,
      };
      const [row] = await tx
        .insert(areas)
        .values(values)
        .onConflictDoUpdate({ target: areas.code, set: values })
        .returning({ id: areas.id });
      ids.set(a.code, row.id);
    }
    const gone = await tx
      .delete(areas)
      .where(notInArray(areas.code, [...ids.keys()]))
      .returning({ id: areas.id, code: areas.code });
    let deactivatedRules: number[] = [];
    if (gone.length) {
      deactivatedRules = (
        await tx
          .update(routingRules)
          .set({ active: false, updatedAt: new Date() })
          .where(
            inArray(
              routingRules.areaId,
              gone.map((g) => g.id),
            ),
          )
          .returning({ id: routingRules.id })
      ).map((r) => r.id);
    }
    if (gone.some((g) => g.code === 'D01'))
      await tx.delete(gazetteerEntries).where(eq(gazetteerEntries.source, 'demo'));
    return { ...checked, imported: sorted.length, removed: gone.length, deactivatedRules };
  });
}
