import path from 'node:path';
import { rm } from 'node:fs/promises';
import { and, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Services } from '../context.js';
import { calls, chatMessages, reports, uploads } from '../db/schema.js';

export interface RetentionResult {
  rawReports: number;
  rawCalls: number;
  rawMessages: number;
  recordings: number;
  uploads: number;
}

const cutoff = (days: number) => new Date(Date.now() - days * 86_400_000);

/** A file under root, never outside it, removed if it is there. */
async function removeUnder(root: string, key: string) {
  const base = path.resolve(root);
  const p = path.resolve(base, key);
  if (!p.startsWith(base + path.sep)) return;
  await rm(p, { force: true });
}

/**
 * Drops what the settings say is kept no longer (0 keeps it for ever): the raw channel
 * payloads beside reports, call records and chat messages (RETENTION_RAW_DAYS), call
 * recordings (RECORDING_RETENTION_DAYS) and uploaded photos (RETENTION_UPLOADS_DAYS).
 * The case, its history and its figures stay: they are the city's record. A second run
 * finds nothing left to do.
 */
export async function sweepRetention(services: Services, batch = 1000): Promise<RetentionResult> {
  const { db } = services.database;
  const c = services.config;
  const out: RetentionResult = { rawReports: 0, rawCalls: 0, rawMessages: 0, recordings: 0, uploads: 0 };
  if (c.RETENTION_RAW_DAYS > 0) {
    const before = cutoff(c.RETENTION_RAW_DAYS);
    out.rawReports = (
      await db
        .update(reports)
        .set({ raw: null })
        .where(and(isNotNull(reports.raw), lt(reports.createdAt, before)))
        .returning({ id: reports.id })
    ).length;
    out.rawCalls = (
      await db
        .update(calls)
        .set({ variables: null })
        .where(and(isNotNull(calls.variables), lt(calls.startedAt, before)))
        .returning({ id: calls.id })
    ).length;
    out.rawMessages = (
      await db
        .update(chatMessages)
        .set({ payload: null })
        .where(and(isNotNull(chatMessages.payload), lt(chatMessages.createdAt, before)))
        .returning({ id: chatMessages.id })
    ).length;
  }
  if (c.RECORDING_RETENTION_DAYS > 0) {
    const before = cutoff(c.RECORDING_RETENTION_DAYS);
    for (;;) {
      const old = await db
        .select({ id: calls.id, file: calls.recordingPath })
        .from(calls)
        .where(and(isNotNull(calls.recordingPath), lt(calls.startedAt, before)))
        .limit(batch);
      if (!old.length) break;
      // The file goes first: a crash between the two leaves a row pointing at nothing, never an orphan file.
      for (const o of old) await removeUnder(c.RECORDINGS_DIR, path.basename(o.file!));
      await db
        .update(calls)
        .set({ recordingPath: null })
        .where(
          inArray(
            calls.id,
            old.map((o) => o.id),
          ),
        );
      out.recordings += old.length;
    }
  }
  if (c.RETENTION_UPLOADS_DAYS > 0) {
    const before = cutoff(c.RETENTION_UPLOADS_DAYS);
    const root = path.join(c.DATA_DIR, 'uploads');
    for (;;) {
      const old = await db
        .select({ id: uploads.id, path: uploads.path, thumb: uploads.thumbPath })
        .from(uploads)
        .where(lt(uploads.createdAt, before))
        .limit(batch);
      if (!old.length) break;
      for (const o of old) {
        await removeUnder(root, o.path);
        await removeUnder(root, o.thumb);
      }
      await db.delete(uploads).where(
        inArray(
          uploads.id,
          old.map((o) => o.id),
        ),
      );
      out.uploads += old.length;
    }
  }
  return out;
}
