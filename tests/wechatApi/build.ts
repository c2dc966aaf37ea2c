import { Writable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { createLogger } from '../../server/log.js';
import { WechatApi, type WechatApiOptions } from '../../server/wechatApi/client.js';
import { startFakeWechat, type FakeWechat, type FakeWechatOptions } from '../fakes/wechat/server.js';

export interface Harness {
  fake: FakeWechat;
  api: WechatApi;
  /** Every log line the client wrote, at debug level and up. */
  logLines: string[];
  /** One clock for the client and the fake. */
  clock: { now: number };
  client(overrides?: Partial<WechatApiOptions>): WechatApi;
}

/** A fresh fake WeChat and a client on it for every test. */
export function useFakeWechat(options: FakeWechatOptions = {}): Harness {
  const h = { logLines: [] as string[], clock: { now: Date.UTC(2026, 4, 1, 2, 0) } } as Harness;
  beforeEach(async () => {
    h.logLines.length = 0;
    h.clock.now = Date.UTC(2026, 4, 1, 2, 0);
    h.fake = await startFakeWechat({ now: () => h.clock.now, ...options });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        h.logLines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('debug', sink as any);
    h.client = (overrides = {}) =>
      new WechatApi({
        baseUrl: h.fake.url,
        appid: h.fake.appid,
        secret: h.fake.secret,
        now: () => h.clock.now,
        logger,
        ...overrides,
      });
    h.api = h.client();
  });
  afterEach(async () => {
    await h.fake.close();
  });
  return h;
}

/** The rejection of `promise`, which must reject. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
