import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { scheduleSurveys } from '../../server/surveys/schedule.js';
import { surveyCode, surveyIdOfCode } from '../../server/surveys/shortLink.js';
import { at, caseInSurvey, caseRow, surveysOf, tokens, type Tokens } from './helpers.js';

let t: TestContext;
let tok: Tokens;

beforeAll(async () => {
  t = await createTestContext();
  tok = await tokens(t);
});
afterAll(async () => {
  await t?.close();
});

describe('the SMS survey short link /s/<code>', () => {
  it('is the survey id and a 64-bit MAC under SESSION_SECRET, base64url; a changed or foreign code names nothing', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const code = surveyCode('s'.repeat(48), id);
    expect(code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(surveyIdOfCode('s'.repeat(48), code)).toBe(id);
    expect(surveyIdOfCode('t'.repeat(48), code)).toBeNull();
    const flipped = code.slice(0, -1) + (code.at(-1) === 'A' ? 'B' : 'A');
    expect(surveyIdOfCode('s'.repeat(48), flipped)).toBeNull();
    expect(surveyIdOfCode('s'.repeat(48), 'short')).toBeNull();
  });

  it('shows the case, takes the answer once, and closes the case', async () => {
    const c = await caseInSurvey(t, tok, { phone: '13800138301' });
    await scheduleSurveys(t.services, c.id, at('2026-11-26T10:00'));
    const [s] = await surveysOf(t, c.id);
    const code = surveyCode(t.config.SESSION_SECRET, s.id);

    const page = await t.http().get(`/s/${code}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain(c.caseNo);
    expect(page.text).toContain('data-result="满意"');
    expect(page.text).not.toContain('13800138301');
    expect(page.text).not.toMatch(/<script>(?!<)/);
    const script = await t.http().get('/s/answer.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');

    const answered = await t
      .http()
      .post(`/api/public/surveys/${code}/answer`)
      .send({ result: '满意', comment: '处理很及时' });
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ caseNo: c.caseNo, result: '满意', effect: 'closed' });
    expect(await caseRow(t, c.id)).toMatchObject({ state: '结案', surveyResult: '满意' });
    const [after] = await surveysOf(t, c.id);
    expect(after).toMatchObject({ status: 'answered', answeredBy: 'sms', comment: '处理很及时' });

    const again = await t.http().post(`/api/public/surveys/${code}/answer`).send({ result: '不满意' });
    expect(again.status).toBe(409);
    expect((await t.http().get(`/s/${code}`)).text).toContain('回访已结束');
  });

  it('answers 404 to a code that fails its MAC, and 400 to a bad answer', async () => {
    const forged = surveyCode('f'.repeat(48), '0f8fad5b-d9cb-469f-a165-70867728950e');
    const res = await t.http().post(`/api/public/surveys/${forged}/answer`).send({ result: '满意' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const asApi = await t.http().get(`/s/${forged}`);
    expect(asApi.status).toBe(404);
    expect(asApi.body.error.code).toBe('not_found');
    const asPhone = await t.http().get(`/s/${forged}`).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(asPhone.status).toBe(404);
    expect(asPhone.headers['content-type']).toContain('text/html');
    const bad = await t.http().post(`/api/public/surveys/${forged}/answer`).send({ result: '还行' });
    expect(bad.status).toBe(400);
  });
});
