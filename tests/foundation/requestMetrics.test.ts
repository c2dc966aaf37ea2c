import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import Koa from 'koa';
import request from 'supertest';
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { DurationHistogram } from '../../server/middleware/durationHistogram.js';
import { requestContext } from '../../server/middleware/requestContext.js';
import { createLogger } from '../../server/log.js';

const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
// Values on, under, between and past the bounds, for two routes and two statuses.
const observations: Array<[string, string, number, number]> = [
  ['GET', '/api/public/cases/:caseNo', 200, 0.0004],
  ['GET', '/api/public/cases/:caseNo', 200, 0.005],
  ['GET', '/api/public/cases/:caseNo', 200, 0.0051],
  ['GET', '/api/public/cases/:caseNo', 404, 0.3],
  ['POST', '/api/reports', 201, 2.5],
  ['POST', '/api/reports', 201, 7],
  ['POST', '/api/reports', 201, 0.04],
];

/** prom-client's own histogram with the same names, labels and bounds: what ours must match. */
const reference = (name: string, help: string, registry: Registry) =>
  new Histogram({ name, help, labelNames: ['method', 'route', 'status'], buckets: bounds, registers: [registry] });

describe('request durations', () => {
  it("expose exactly what prom-client's Histogram exposes for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new DurationHistogram('http_request_duration_seconds', 'HTTP request duration', bounds, ours);
    const theirHistogram = reference('http_request_duration_seconds', 'HTTP request duration', theirs);
    for (const [method, route, status, seconds] of observations) {
      fast.observe(method, route, status, seconds);
      theirHistogram.observe({ method, route, status: String(status) }, seconds);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/public/cases/:caseNo",status="200"} 2',
    );
  });

  it("are summed over a cluster's workers like prom-client's", async () => {
    const workers = [new Registry(), new Registry()];
    const references = [new Registry(), new Registry()];
    workers.forEach((registry, i) => {
      const fast = new DurationHistogram('d', 'h', bounds, registry);
      const theirHistogram = reference('d', 'h', references[i]);
      for (const [method, route, status, seconds] of observations.slice(i * 3)) {
        fast.observe(method, route, status, seconds);
        theirHistogram.observe({ method, route, status: String(status) }, seconds);
      }
    });
    const sum = AggregatorRegistry.aggregate(await Promise.all(workers.map((r) => r.getMetricsAsJSON())));
    const expected = AggregatorRegistry.aggregate(await Promise.all(references.map((r) => r.getMetricsAsJSON())));
    expect(await sum.metrics()).toBe(await expected.metrics());
    expect(await sum.metrics()).toMatch(/d_count\{method="POST",route="\/api\/reports",status="201"\} 6/);
  });
});

describe('request context', () => {
  it('gives each request its own logger with its id, each app its own base logger', async () => {
    const sinks = [[], []] as string[][];
    const apps = sinks.map((lines) => {
      const sink = new Writable({
        write(c, _e, cb) {
          lines.push(c.toString());
          cb();
        },
      });
      const app = new Koa();
      app.use(requestContext(createLogger('warn', sink as never)));
      app.use(async (ctx) => {
        ctx.log.warn({ path: ctx.path }, 'seen');
        ctx.body = { id: ctx.requestId };
      });
      return app;
    });
    const a = await request(apps[0].callback()).get('/a').set('X-Request-Id', 'req-a');
    const b = await request(apps[1].callback()).get('/b');
    const a2 = await request(apps[0].callback()).get('/a2');
    expect(a.headers['x-request-id']).toBe('req-a');
    expect(b.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a2.body.id).not.toBe(b.body.id);
    expect(sinks[0].map((l) => JSON.parse(l).reqId)).toEqual(['req-a', a2.body.id]);
    expect(sinks[1].map((l) => JSON.parse(l).reqId)).toEqual([b.body.id]);
  });
});
