import { z } from 'zod';
import { stripXmlIllegal } from '../../lib/xmlText.js';

/**
 * What GeoReport clients send, read the way the spec means it: characters XML 1.0 cannot carry are
 * dropped, and a field sent empty (`lat=`, `email=`) is a field not sent — never a 0 or a refusal.
 */
export const fieldsGiven = (v: unknown) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(v)) {
    const value = typeof raw === 'string' ? stripXmlIllegal(raw).trim() : raw;
    if (value !== '') out[k] = value;
  }
  return out;
};

const str = (max: number) => z.string().max(max, `最长 ${max} 个字符`);

const isHttp = (s: string) => /^https?:\/\//i.test(s);

/** W3C date-times with a zone, as the spec asks, within years a case can have. */
export const w3cDate = z.iso.datetime({ offset: true }).refine((s) => {
  const y = new Date(s).getUTCFullYear();
  return y >= 2000 && y <= 2100;
}, '日期须在 2000 至 2100 年之间');

export const postBody = z.preprocess(
  fieldsGiven,
  z.object({
    jurisdiction_id: str(64).optional(),
    service_code: str(32),
    lat: z.coerce.number().min(-90).max(90).optional(),
    long: z.coerce.number().min(-180).max(180).optional(),
    address_string: str(200).optional(),
    address_id: str(64).optional(),
    // Optional in GeoReport v2; the case then reads as its service's name.
    description: str(4000).optional(),
    email: str(254).pipe(z.email()).optional(),
    device_id: str(128).optional(),
    account_id: str(128).optional(),
    first_name: str(50).optional(),
    last_name: str(50).optional(),
    phone: str(32).optional(),
    media_url: str(2000).pipe(z.url()).refine(isHttp, '只接受 http(s) 地址').optional(),
  }),
);

const statusList = z
  .string()
  .regex(/^(open|closed)(,(open|closed))*$/, 'open、closed 或逗号分隔的组合')
  .transform((s) => new Set(s.split(',')));

const idList = (max: number) =>
  str(max * 40).transform((s, ctx) => {
    const ids = [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ];
    if (ids.length > max) ctx.addIssue({ code: 'custom', message: `最多 ${max} 个` });
    return ids;
  });

export const listQuery = z.preprocess(
  fieldsGiven,
  z.object({
    jurisdiction_id: str(64).optional(),
    api_key: str(256).optional(),
    service_request_id: idList(100).optional(),
    service_code: idList(100).optional(),
    start_date: w3cDate.optional(),
    end_date: w3cDate.optional(),
    status: statusList.optional(),
    // The pagination extension most GeoReport servers implement (wiki: GeoReport v2 Extensions).
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).optional(),
  }),
);

export const updatesQuery = z.preprocess(
  fieldsGiven,
  z.object({
    jurisdiction_id: str(64).optional(),
    api_key: str(256).optional(),
    start_date: w3cDate.optional(),
    end_date: w3cDate.optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).optional(),
  }),
);

export const readQuery = z.preprocess(
  fieldsGiven,
  z.object({ jurisdiction_id: str(64).optional(), api_key: str(256).optional() }),
);
