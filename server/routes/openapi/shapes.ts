import { z } from 'zod';

/**
 * Answer shapes more than one router folder returns. A shape with an id becomes a named schema in
 * the document's components and a named type in the UIs' generated.ts. Objects are exact (no other
 * field) unless made with z.looseObject, which says the presenter passes more through.
 */

export const dateTime = z.string().meta({ format: 'date-time' });
export const day = z.string().meta({ format: 'date' });
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const errorBody = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'Error' });

export const codeName = z.object({ code: z.string(), name: z.string() }).meta({ id: 'CodeName' });
/** A category reference whose name the lookup may not know (a retired code). */
export const categoryRef = z.object({ code: z.string(), name: z.string().nullable() }).meta({ id: 'CategoryRef' });
export const idName = z.object({ id: z.number().int(), name: z.string() }).meta({ id: 'IdName' });
export const latLng = z.object({ lat: z.number(), lng: z.number() }).meta({ id: 'LatLng' });

export const caseState = z
  .enum(['受理', '立案', '不予立案', '转办', '派遣', '处置中', '已处置', '核查', '回访', '结案', '挂账', '已并案'])
  .meta({ id: 'CaseState' });
export const deadlineStatus = z.enum(['正常', '即将超期', '已超期']).meta({ id: 'DeadlineStatus' });
export const role = z.enum(['agent', 'supervisor', 'department', 'admin']).meta({ id: 'Role' });

export const photo = z.object({ url: z.string(), thumbUrl: z.string() }).meta({ id: 'PhotoLinks' });
export const upload = z
  .object({ id: z.string(), url: z.string(), thumbUrl: z.string(), gps: latLng.nullable() })
  .meta({ id: 'Upload' });

export const caseSummary = z
  .object({
    id: z.string(),
    caseNo: z.string(),
    state: caseState,
    version: z.number().int(),
    channel: z.string(),
    kind: z.string().nullable(),
    category: codeName.nullable(),
    major: codeName.nullable(),
    title: z.string(),
    address: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    area: z.object({
      gridId: z.number().int().nullable(),
      communityId: z.number().int().nullable(),
      streetId: z.number().int().nullable(),
      districtId: z.number().int().nullable(),
      gridName: z.string().nullable(),
      communityName: z.string().nullable(),
      streetName: z.string().nullable(),
    }),
    department: idName.nullable(),
    priority: z.string(),
    deadlineAt: nullable(dateTime),
    deadlineStatus,
    pendingExtension: z.object({ hours: z.number(), note: z.string(), at: z.string() }).nullable(),
    needsReview: z.boolean(),
    confidence: z.number().nullable(),
    transferAgency: z.string().nullable(),
    duplicateCount: z.number().int(),
    reworkCount: z.number().int(),
    urgeCount: z.number().int(),
    urgedAt: nullable(dateTime),
    mergedInto: z.string().nullable(),
    surveyResult: z.string().nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
    closedAt: nullable(dateTime),
  })
  .meta({ id: 'CaseSummary' });

export const caseEnvelope = z.object({ case: caseSummary });
export const caseList = z.object({ items: z.array(caseSummary) });

export const staffUser = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role,
    departmentId: z.number().int().nullable(),
    extension: z.string().nullable(),
    active: z.boolean(),
    lastLoginAt: nullable(dateTime),
  })
  .meta({ id: 'StaffUser' });

export const department = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    delivery: z.enum(['internal', 'webhook']),
    webhookUrl: z.string().nullable(),
    agency: z.string().nullable(),
    active: z.boolean(),
    createdAt: dateTime,
    hasWebhookSecret: z.boolean(),
  })
  .meta({ id: 'Department' });

export const survey = z
  .object({
    id: z.string(),
    caseId: z.string(),
    citizenId: z.string().nullable(),
    round: z.number().int(),
    channel: z.string(),
    status: z.string(),
    attempts: z.number().int(),
    nextAttemptAt: nullable(dateTime),
    result: z.string().nullable(),
    comment: z.string().nullable(),
    lastOutcome: z.string().nullable(),
    createdAt: dateTime,
    answeredAt: nullable(dateTime),
  })
  .meta({ id: 'Survey' });

export const screenPop = z
  .object({
    callId: z.string(),
    agent: z.string(),
    callerMasked: z.string().nullable(),
    citizenId: z.string().nullable(),
    pastCases: z.array(caseSummary),
    openSurveys: z.array(z.object({ id: z.string(), caseId: z.string(), caseNo: z.string(), status: z.string() })),
    filedCases: z.array(caseSummary),
    at: dateTime,
  })
  .meta({ id: 'ScreenPop' });

/** A GeoJSON geometry, passed through as stored. */
export const geometry = z.looseObject({ type: z.string(), coordinates: z.array(z.unknown()) }).meta({ id: 'Geometry' });

/** Plain text answers (WeChat's URL checks and acknowledgements). */
export const plainText = { type: 'text/plain', schema: z.string() };
