import { PassThrough } from 'node:stream';
import type { Context } from 'koa';

export interface EventStream {
  stream: PassThrough;
  /** Whether the client has gone. */
  closed(): boolean;
  /** Subscribes for as long as the client stays, then says it is connected (`: connected <hello>`). */
  follow(subscribe: () => Promise<() => void>, hello?: string): Promise<void>;
}

/**
 * Turns the response into a Server-Sent Events stream that no proxy buffers or times out, with a
 * comment every 15 s to keep it open and the subscription dropped when the client goes.
 */
export function openEventStream(ctx: Context): EventStream {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  ctx.status = 200;
  ctx.body = stream;
  let unsubscribe = () => {};
  const ping = setInterval(() => stream.write(': ping\n\n'), 15_000);
  let closed = false;
  const close = () => {
    closed = true;
    clearInterval(ping);
    unsubscribe();
    stream.end();
  };
  ctx.req.on('close', close);
  ctx.req.on('error', close);
  return {
    stream,
    closed: () => closed,
    async follow(subscribe, hello = '') {
      const off = await subscribe();
      if (closed) off();
      else unsubscribe = off;
      stream.write(`retry: 3000\n: connected ${hello}\n\n`);
    },
  };
}
