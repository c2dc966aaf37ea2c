import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, scrubPhones } from '../../server/log.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(c, _e, cb) {
      lines.push(c.toString());
      cb();
    },
  });
  return { log: createLogger('debug', sink as any), lines };
}

describe('log redaction', () => {
  it('masks phone numbers anywhere in a line and redacts secrets by key', () => {
    const { log, lines } = capture();
    log.info(
      {
        phone: '13812345678',
        citizen: { phone: '13912345678', name: '王先生' },
        password: 'hunter2',
        token: 'tok',
        wx: { session_key: 'sk==' },
      },
      '市民 13800138000 来电，座机 0571-87654321',
    );
    const out = lines.join('');
    for (const secret of ['13812345678', '13912345678', '13800138000', '87654321', 'hunter2', '"tok"', 'sk==']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('138****8000');
    expect(out).toContain('王先生');
  });

  it('scrubs +86 prefixed numbers and leaves case numbers alone', () => {
    expect(scrubPhones('电话+8613812345678')).toBe('电话+86138****5678');
    expect(scrubPhones('案件 2026112100001')).toBe('案件 2026112100001');
  });
});

describe('a phone number never reaches the request log', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ jobs: false });
  });
  afterAll(() => t.close());

  it('keeps a number in a query string, a failed username and an error out of the log', async () => {
    await t.http().get('/api/nothing?phone=13612345678');
    await t.http().post('/api/auth/login').send({ username: '13712345678', password: 'x' });
    const out = t.logLines.join('');
    expect(out.length).toBeGreaterThan(0);
    expect(out).not.toContain('13612345678');
    expect(out).not.toContain('13712345678');
    expect(out).toContain('137****5678');
  });
});
