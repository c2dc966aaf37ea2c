import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { ReferenceCache } from '../../server/db/referenceCache.js';

type ListenArgs = Parameters<Database['listen']>;

/** A database whose LISTEN connection the test drives: notifications and drops are delivered by hand. */
function fakeDatabase() {
  const heard: { handler?: ListenArgs[1]; onListening?: ListenArgs[2] } = {};
  const database = {
    db: {},
    listen: async (_channel: string, handler: ListenArgs[1], onListening?: ListenArgs[2]) => {
      heard.handler = handler;
      heard.onListening = onListening;
      return async () => {};
    },
  } as unknown as Database;
  return { database, heard };
}

describe('a cached reference table', () => {
  it('is read once, dropped by its notification, and not reused while the listening connection is down', async () => {
    const { database, heard } = fakeDatabase();
    let loads = 0;
    const cache = new ReferenceCache(database, 'routing_rules', async () => ++loads);

    expect(await cache.get()).toBe(1);
    expect(await cache.get()).toBe(1);
    heard.handler!('departments'); // another table's change
    expect(await cache.get()).toBe(1);
    heard.handler!('routing_rules');
    expect(await cache.get()).toBe(2);

    // The connection drops: a change made now would go unheard, so every read loads.
    heard.onListening!(false);
    expect(await cache.get()).toBe(3);
    expect(await cache.get()).toBe(4);
    // Back: what was loaded while down may be stale, so the first read loads again, then the copy is kept.
    heard.onListening!(true);
    expect(await cache.get()).toBe(5);
    expect(await cache.get()).toBe(5);
  });
});
