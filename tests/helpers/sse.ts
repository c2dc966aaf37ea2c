import http from 'node:http';

/** Reads a Server-Sent Events stream as the agent's browser would. */
export function openStream(url: string, token: string, headers: Record<string, string> = {}) {
  const events: Array<{ event: string; id?: string; data: any }> = [];
  const req = http.get(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', ...headers } });
  req.on('error', () => {});
  let buffer = '';
  const ready = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (buffer.includes(': connected')) resolve();
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const id = /^id: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, id, data: JSON.parse(data) });
        }
      });
    });
  });
  return { events, ready, close: () => req.destroy() };
}
