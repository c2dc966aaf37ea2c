import type { ZodType } from 'zod';

/** Who may call an operation: none, a staff session, a citizen's token, or a signature the route checks itself. */
export type Auth = 'none' | 'staff' | 'citizen' | 'signed';

/** An answer that is not JSON (CSV, a photo, the event stream, XML) or has no body. */
export interface Media {
  type: string;
  schema?: ZodType;
  description?: string;
}

/**
 * What the document says about one mounted route beyond what validate() records: its summary, who
 * may call it and what it answers. Keyed 'METHOD /path' with the path as the router mounts it
 * (`GET /api/cases/:id`), in `server/routes/<folder>/responses.ts`.
 */
export interface Declaration {
  summary: string;
  /** The success answer: a zod schema for JSON, a Media for anything else, null for no body. */
  ok: ZodType | Media | null;
  /** The success status, 200 unless said. */
  status?: number;
  /** Staff unless said. */
  auth?: Auth;
  /** A request body the route reads itself (multipart, form, XML) rather than through validate(). */
  body?: Media;
  /** A query the route reads itself. */
  query?: ZodType;
  /** Other media types the same answer comes in (Open311's XML). */
  alsoAs?: readonly string[];
  /** The error body when it is not ours ({error:{code,message}}): Open311's [{code, description}]. */
  errorSchema?: ZodType;
  /** Error statuses besides 400/401/403/404 that a client should expect (409, 413, 422, 429, 503). */
  errors?: readonly number[];
}

export type Declarations = Record<string, Declaration>;

export const isMedia = (x: ZodType | Media): x is Media => typeof (x as Media).type === 'string' && !('_zod' in x);
