import { and, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Services } from '../context.js';
import { cases, departments, reports } from '../db/schema.js';
import { intakeReport } from '../cases/intake.js';
import { AppError } from '../errors.js';
import { answerSurvey } from '../surveys/answer.js';
import { pendingSurveyFor } from '../surveys/queries.js';
import type { CategoryIndex, CategoryRow } from '../cases/categoryIndex.js';
import { extractEntities } from '../../nlp/extract/entities.js';
import { GOOD_MATCH, searchPlaces } from '../geo/places.js';
import type { Precision } from '../geo/gazetteer.js';
import { squeeze } from './intents.js';
import type { CaseStatus, ChatPorts, Classified, PendingSurvey, Place, PlaceLookup, SurveyResult } from './types.js';

/** Surveys as the chat sees them. */
export interface SurveyGateway {
  pending(citizenId: string): Promise<PendingSurvey | null>;
  answer(input: {
    surveyId: string;
    citizenId: string;
    result: SurveyResult;
    comment: string | null;
  }): Promise<boolean>;
}

/** On server/surveys: the survey the citizen can answer now, and the answer recorded as given in chat. */
export function serviceSurveys(services: Services): SurveyGateway {
  return {
    async pending(citizenId) {
      const list = await pendingSurveyFor(services, citizenId);
      const inChat = (s: (typeof list)[number]) => s.channel === 'chat' && s.status === 'waiting';
      // The question put in this chat first; then whatever else waits, oldest first.
      const pick = [...list].reverse().find(inChat) ?? list[0];
      return pick ? { surveyId: pick.surveyId, caseNo: pick.caseNo, title: pick.title, asked: inChat(pick) } : null;
    },
    async answer({ surveyId, result, comment }) {
      try {
        await answerSurvey(services, { surveyId, result, comment, via: 'chat' });
        return true;
      } catch (err) {
        // Answered another way meanwhile, cancelled, or the case moved on.
        if (err instanceof AppError && (err.status === 409 || err.status === 404)) return false;
        throw err;
      }
    },
  };
}

/** Words that may follow a place and belong to it: 东湖路18号 + 门口. */
const POSITION = /^(门口|口|对面|旁边|附近|路口|交叉口|东侧|西侧|南侧|北侧|楼下|门前|边上)/u;

/** Precisions that put a point where the problem is, to a few metres. */
const PINPOINT = new Set<Precision>(['house', 'intersection', 'poi', 'landmark']);

export function idempotencyKeyOf(contactId: string, draftId: string): string {
  return `wechat:${contactId}:${draftId}`;
}

/** The ports the conversation uses, on the service's own intake, areas, classifier and cases. */
export function servicePorts(services: Services, surveys: SurveyGateway = serviceSurveys(services)): ChatPorts {
  const db = services.database.db;
  let categoryNames: { index: CategoryIndex; names: Array<{ text: string; row: CategoryRow }> } | null = null;

  const classified = (row: CategoryRow, sure: boolean): Classified => ({
    code: row.code,
    name: row.name,
    kind: row.kind,
    sure,
    photoRequired: row.photoRequired,
  });

  async function status(where: SQL | undefined, limit: number): Promise<CaseStatus[]> {
    const index = await services.categories();
    const rows = await db
      .select({ c: cases, department: departments.name })
      .from(cases)
      .leftJoin(departments, eq(departments.id, cases.departmentId))
      .where(where)
      .orderBy(desc(cases.createdAt))
      .limit(limit);
    return rows.map(({ c, department }) => ({
      caseNo: c.caseNo,
      categoryName: index.name(c.categoryCode) ?? index.name(c.majorCode),
      state: c.state,
      departmentName: department,
      createdAt: c.createdAt,
      surveyResult: c.surveyResult,
    }));
  }

  /** Cases the citizen reported, or reported again and saw merged: never anyone else's. */
  const ownedBy = (citizenId: string) =>
    or(
      eq(cases.reporterId, citizenId),
      inArray(cases.id, db.select({ id: reports.caseId }).from(reports).where(eq(reports.citizenId, citizenId))),
    );

  return {
    async classify(text) {
      const result = services.classifier.classify(text);
      if (!result.minor || !result.kind) return null;
      const row = (await services.categories()).get(result.minor.code);
      return row ? classified(row, !result.needsReview) : null;
    },

    async categoryNamed(text) {
      const index = await services.categories();
      if (categoryNames?.index !== index) {
        const names = index
          .all()
          .filter((r) => r.level === '小类')
          .flatMap((row) =>
            [row.name, ...(row.synonyms ?? [])].filter((t) => t.length >= 2).map((t) => ({ text: squeeze(t), row })),
          );
        names.sort((a, b) => b.text.length - a.text.length);
        categoryNames = { index, names };
      }
      const s = squeeze(text);
      const hit = categoryNames.names.find((n) => s.includes(n.text));
      return hit ? classified(hit.row, true) : null;
    },

    async placeFromText(text): Promise<PlaceLookup> {
      const locator = await services.areas();
      const entities = extractEntities(text).locations;
      const named = locator.namesIn(text);
      for (const candidate of [...entities, ...named]) {
        if (!locator.locateAddress(candidate)) continue;
        const label = withPosition(candidate, text);
        return { found: { label, address: label, lat: null, lng: null } };
      }
      return entities.length ? { unresolved: entities[0] } : null;
    },

    async findAddress(text) {
      const [best] = await searchPlaces(services, text, 1);
      // A road alone or a community's centre is no point to file a report at: those stay words.
      if (!best || best.score < GOOD_MATCH || !PINPOINT.has(best.precision) || !best.grid) return null;
      return {
        label: withPosition(best.label, text),
        community: best.areaNames[2] ?? null,
        grid: best.grid.name,
        lat: best.lat,
        lng: best.lng,
      };
    },

    async placeFromPoint({ lat, lng, name, address }): Promise<Place | null> {
      const placement = (await services.areas()).locatePoint(lat, lng);
      if (!placement) return null;
      const label = name?.trim() || address?.trim() || placement.names.at(-1) || '所发位置';
      const full = [address?.trim(), name?.trim()].filter((s, i, all) => s && all.indexOf(s) === i).join(' ');
      return { label, address: full || label, lat, lng };
    },

    async submit(conversation, draft, who) {
      const result = await intakeReport(services, {
        channel: 'wechat',
        idempotencyKey: idempotencyKeyOf(conversation.contactId, draft.id),
        text: draft.texts.join('\n'),
        citizen: { chatContactId: conversation.contactId, ...(who.name ? { name: who.name } : {}) },
        location:
          draft.place?.lat != null && draft.place.lng != null ? { lat: draft.place.lat, lng: draft.place.lng } : null,
        address: draft.place?.address ?? null,
        // A category the classifier was sure of (or the citizen named) is taken as chosen; an unsure one goes to review.
        categoryCode: draft.category?.sure ? draft.category.code : null,
        photos: draft.photos,
        raw: { contactId: conversation.contactId, draftId: draft.id },
      });
      return { caseId: result.case.id, caseNo: result.case.caseNo, duplicate: result.duplicate };
    },

    async caseStatus(citizenId, caseNo) {
      const [found] = await status(and(eq(cases.caseNo, caseNo), ownedBy(citizenId)), 1);
      return found ?? null;
    },

    myCases(citizenId, limit) {
      return status(ownedBy(citizenId), limit);
    },

    pendingSurvey: (citizenId) => surveys.pending(citizenId),
    answerSurvey: (input) => surveys.answer(input),
  };
}

function withPosition(candidate: string, text: string): string {
  const at = text.indexOf(candidate);
  if (at < 0) return candidate;
  const after = text.slice(at + candidate.length).match(POSITION);
  return after ? candidate + after[0] : candidate;
}
