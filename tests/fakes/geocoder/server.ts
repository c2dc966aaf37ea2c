import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** One place the fake knows, in the provider's own datum (天地图 CGCS2000, 高德 GCJ-02). */
export interface FakePlace {
  lat: number;
  lng: number;
  level: string;
}

export interface FakeGeocoder {
  url: string;
  /** Every request as received: path and query parameters. */
  requests: Array<{ path: string; query: Record<string, string> }>;
  /** What the fake knows, by the address (天地图 keyWord, 高德 address) it is asked for. */
  places: Map<string, FakePlace>;
  /** Answer every request with this HTTP status instead (an outage). */
  failWith: number | null;
  close(): Promise<void>;
}

/**
 * A local stand-in for both providers, answering in their documented shapes:
 * 天地图 `GET /geocoder?ds={"keyWord":…}&tk=` → `{msg, status:"0", location:{lon, lat, level, score, keyWord}}`
 * (status "101" and no location when nothing matches); 高德 `GET /v3/geocode/geo?address=&key=&city=`
 * → `{status:"1", info:"OK", infocode:"10000", count, geocodes:[{formatted_address, location:"lng,lat", level, …}]}`.
 */
export async function startFakeGeocoder(key: string): Promise<FakeGeocoder> {
  const fake: FakeGeocoder = { url: '', requests: [], places: new Map(), failWith: null, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push({ path: u.pathname, query: Object.fromEntries(u.searchParams) });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (fake.failWith) return send(fake.failWith, { error: 'unavailable' });
    if (u.pathname === '/geocoder') {
      if (u.searchParams.get('tk') !== key) return send(200, { msg: '权限类型错误', status: '1' });
      const keyWord = (JSON.parse(u.searchParams.get('ds') ?? '{}') as { keyWord?: string }).keyWord ?? '';
      const p = fake.places.get(keyWord);
      if (!p) return send(200, { msg: '无结果', status: '101', searchVersion: '6.4.9V' });
      return send(200, {
        msg: 'ok',
        status: '0',
        searchVersion: '6.4.9V',
        location: { score: 100, level: p.level, lon: p.lng, lat: p.lat, keyWord },
      });
    }
    if (u.pathname === '/v3/geocode/geo') {
      if (u.searchParams.get('key') !== key)
        return send(200, { status: '0', info: 'INVALID_USER_KEY', infocode: '10001' });
      const address = u.searchParams.get('address') ?? '';
      const p = fake.places.get(address);
      return send(200, {
        status: '1',
        info: 'OK',
        infocode: '10000',
        count: p ? '1' : '0',
        geocodes: p
          ? [
              {
                formatted_address: `示范市示范区${address}`,
                country: '中国',
                province: '示范省',
                city: '示范市',
                district: '示范区',
                township: [],
                street: [],
                number: [],
                location: `${p.lng.toFixed(6)},${p.lat.toFixed(6)}`,
                level: p.level,
              },
            ]
          : [],
      });
    }
    send(404, { status: '0', info: 'NOT_FOUND' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
