import type { Declarations } from './declare.js';
import { responses as auth } from '../auth/responses.js';
import { responses as board } from '../board/responses.js';
import { responses as calls } from '../calls/responses.js';
import { responses as cases } from '../cases/responses.js';
import { responses as chat } from '../chat/responses.js';
import { responses as citizenApp } from '../citizenApp/responses.js';
import { responses as citizenRecords } from '../citizenRecords/responses.js';
import { responses as classify } from '../classify/responses.js';
import { responses as customerService } from '../customerService/responses.js';
import { responses as deliveries } from '../deliveries/responses.js';
import { responses as departments } from '../departments/responses.js';
import { responses as files } from '../files/responses.js';
import { responses as geo } from '../geo/responses.js';
import { responses as inboxes } from '../inboxes/responses.js';
import { responses as jobs } from '../jobs/responses.js';
import { responses as knowledge } from '../knowledge/responses.js';
import { responses as open311 } from '../open311/responses.js';
import { responses as openapi } from './responses.js';
import { responses as reference } from '../reference/responses.js';
import { responses as reports } from '../reports/responses.js';
import { responses as sms } from '../sms/responses.js';
import { responses as staff } from '../staff/responses.js';
import { responses as stats } from '../stats/responses.js';
import { responses as surveys } from '../surveys/responses.js';
import { responses as surveyLinks } from '../surveyLinks/responses.js';
import { responses as webhooks } from '../webhooks/responses.js';
import { responses as wechatPush } from '../wechatPush/responses.js';

/**
 * Every router folder's declarations, keyed 'METHOD /path' as mounted. A new folder adds one import
 * and one entry here; a new route adds one entry to its folder's responses.ts.
 */
export const declarations: Declarations = {
  ...auth,
  ...board,
  ...calls,
  ...cases,
  ...chat,
  ...citizenApp,
  ...citizenRecords,
  ...classify,
  ...customerService,
  ...deliveries,
  ...departments,
  ...files,
  ...geo,
  ...inboxes,
  ...jobs,
  ...knowledge,
  ...open311,
  ...openapi,
  ...reference,
  ...reports,
  ...sms,
  ...staff,
  ...stats,
  ...surveys,
  ...surveyLinks,
  ...webhooks,
  ...wechatPush,
};
