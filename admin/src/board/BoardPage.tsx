import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { MapPoint } from '../map/WebMap';
import { text } from './text';

const WebMap = lazy(() => import('../map/WebMap'));

interface BoardCase {
  caseNo: string;
  category: string | null;
  street: string | null;
  streetId: number | null;
  community: string | null;
  state: '已办结' | '办理中';
  receivedOn: string;
  closedOn: string | null;
  point: { lat: number; lng: number } | null;
  reply: string | null;
}

interface StreetFigures {
  streetId: number | null;
  street: string;
  received: number;
  closureRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

const percent = (x: number | null) => (x == null ? text.none : `${(x * 100).toFixed(1)}%`);
const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

function useJson<T>(url: string): { data: T | null; failed: boolean } {
  const [state, setState] = useState<{ data: T | null; failed: boolean }>({ data: null, failed: false });
  useEffect(() => {
    let live = true;
    fetch(url)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((data) => live && setState({ data, failed: false }))
      .catch(() => live && setState({ data: null, failed: true }));
    return () => {
      live = false;
    };
  }, [url]);
  return state;
}

const cell: React.CSSProperties = { padding: '6px 10px', borderBottom: '1px solid #f0f0f0', textAlign: 'left' };

/** The public board: figures per street, the problems on a map and in a list by street. */
export function BoardPage() {
  const [month, setMonth] = useState(thisMonth);
  const [street, setStreet] = useState<string>('');
  const board = useJson<{ items: BoardCase[]; streets: Array<{ id: number; name: string }> }>('/api/public/board');
  const figures = useJson<{ month: string; streets: StreetFigures[] }>(`/api/public/board/figures?month=${month}`);
  const items = useMemo(
    () => (board.data?.items ?? []).filter((c) => !street || String(c.streetId) === street),
    [board.data, street],
  );
  const points = useMemo<MapPoint[]>(
    () =>
      items
        .filter((c) => c.point)
        .map((c) => ({
          id: c.caseNo,
          lat: c.point!.lat,
          lng: c.point!.lng,
          colour: c.state === '已办结' ? '#52c41a' : '#fa8c16',
          overdue: false,
          approximate: false,
          title: `${c.category ?? ''} ${c.state}`,
        })),
    [items],
  );

  return (
    <main style={{ maxWidth: 1100, margin: '0 auto', padding: 16, color: '#262626' }}>
      <h1 style={{ fontSize: 22 }}>{text.title}</h1>
      <p style={{ color: '#8c8c8c' }}>{text.intro}</p>

      <section data-testid="board-figures">
        <h2 style={{ fontSize: 17 }}>
          {text.figures}{' '}
          <label style={{ fontSize: 14, fontWeight: 'normal' }}>
            {text.month}{' '}
            <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
          </label>
        </h2>
        {figures.failed && <p>{text.failed}</p>}
        <table style={{ borderCollapse: 'collapse', width: '100%' }}>
          <thead>
            <tr>
              {[text.street, text.received, text.closureRate, text.onTimeRate, text.satisfactionRate].map((h) => (
                <th key={h} style={cell}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(figures.data?.streets ?? []).map((f) => (
              <tr key={f.street} data-testid="board-street-figures" data-street={f.street} data-received={f.received}>
                <td style={cell}>{f.street}</td>
                <td style={cell}>{f.received}</td>
                <td style={cell}>{percent(f.closureRate)}</td>
                <td style={cell}>{percent(f.onTimeRate)}</td>
                <td style={cell}>{percent(f.satisfactionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section style={{ marginTop: 16 }}>
        <Suspense fallback={<div style={{ height: 360 }}>{text.loading}</div>}>
          <WebMap testId="board-map" grids={[]} points={points} height={360} />
        </Suspense>
        <p style={{ color: '#8c8c8c', fontSize: 12 }}>{text.legend}</p>
      </section>

      <section>
        <h2 style={{ fontSize: 17 }}>
          {text.list}{' '}
          <select value={street} onChange={(e) => setStreet(e.target.value)} data-testid="board-street-filter">
            <option value="">{text.allStreets}</option>
            {(board.data?.streets ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </h2>
        {board.failed && <p>{text.failed}</p>}
        {board.data && !items.length && <p>{text.empty}</p>}
        <table style={{ borderCollapse: 'collapse', width: '100%' }} data-testid="board-list">
          <thead>
            <tr>
              {[text.category, text.place, text.state, text.receivedOn, text.closedOn, text.reply].map((h) => (
                <th key={h} style={cell}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.caseNo} data-testid="board-case" data-case-no={c.caseNo} data-state={c.state}>
                <td style={cell}>{c.category ?? text.none}</td>
                <td style={cell}>{[c.street, c.community].filter(Boolean).join(' ') || text.none}</td>
                <td style={{ ...cell, color: c.state === '已办结' ? '#389e0d' : '#d46b08' }}>{c.state}</td>
                <td style={cell}>{c.receivedOn}</td>
                <td style={cell}>{c.closedOn ?? text.none}</td>
                <td style={cell}>{c.reply ?? text.none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
