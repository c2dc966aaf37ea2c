// @vitest-environment jsdom
import '../../test/setup';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { apiError, mockApi } from '../../test/mockApi';
import { buildCase, buildClassification, buildGrids, categoryTree } from '../../test/fixtures';
import { renderWithRouter } from '../../test/renderWithRouter';
import { ComplaintForm } from './ComplaintForm';

// OpenLayers draws on a canvas, which jsdom lacks: a stand-in map that reports clicks at two known
// points (inside 湖畔一网格 and 湖畔二网格) and shows where it was told to move.
vi.mock('../../map/WebMap', () => ({
  default: (p: { onPick?: (x: { lat: number; lng: number }) => void; focus?: { lat: number; lng: number } | null }) => (
    <div data-testid="location-map" data-focus={p.focus ? `${p.focus.lat},${p.focus.lng}` : ''}>
      <button data-testid="map-click" onClick={() => p.onPick?.({ lat: 30.21, lng: 120.11 })} />
      <button data-testid="map-click-2" onClick={() => p.onPick?.({ lat: 30.21, lng: 120.13 })} />
    </div>
  ),
}));

const catalogRoutes = {
  'GET /api/categories': { body: categoryTree },
  'GET /api/areas': { body: buildGrids() },
  'GET /api/reports/nearby': { body: { items: [] } },
};

function renderForm(props: { callId?: string } = {}) {
  return renderWithRouter(<ComplaintForm classifyDelayMs={50} {...props} />);
}

const type = (text: string) => fireEvent.change(screen.getByTestId('complaint-text'), { target: { value: text } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ComplaintForm', () => {
  it('asks for a category once per pause in typing, with the latest text', async () => {
    const api = mockApi({ ...catalogRoutes, 'POST /api/classify': { body: buildClassification() } });
    renderForm();

    for (const text of ['东湖', '东湖路', '东湖路井', '东湖路井盖', '东湖路井盖坏了']) type(text);
    await screen.findByTestId('category-suggestion');
    await sleep(120);

    const classifyCalls = api.to('POST', '/api/classify');
    expect(classifyCalls).toHaveLength(1);
    expect(classifyCalls[0].body).toEqual({ text: '东湖路井盖坏了' });
  });

  it('does not classify text too short to mean anything', async () => {
    const api = mockApi({ ...catalogRoutes, 'POST /api/classify': { body: buildClassification() } });
    renderForm();
    type('井盖');
    await sleep(150);
    expect(api.to('POST', '/api/classify')).toHaveLength(0);
  });

  it('shows the suggestion with its confidence and lets the agent override it', async () => {
    mockApi({ ...catalogRoutes, 'POST /api/classify': { body: buildClassification() } });
    renderForm();
    type('东湖路污水井盖破了');

    const suggestion = await screen.findByTestId('category-suggestion');
    expect(within(suggestion).getByTestId('category-suggested-name').textContent).toBe('污水井盖');
    expect(within(suggestion).getByTestId('category-confidence').textContent).toContain('82%');
    expect(screen.getByTestId('category-current').dataset.code).toBe('100102');
    expect(screen.getByTestId('category-current').dataset.source).toBe('suggested');
    expect(screen.getByTestId('complaint-entities').textContent).toContain('东湖路');

    const alternatives = within(suggestion).getAllByTestId('category-alternative');
    expect(alternatives.map((a) => a.dataset.code)).toEqual(['100103', '100101']);
    fireEvent.click(alternatives[0]);
    expect(screen.getByTestId('category-current').dataset.code).toBe('100103');
    expect(screen.getByTestId('category-current').dataset.source).toBe('manual');

    // A new suggestion for edited text does not undo the agent's choice...
    type('东湖路污水井盖破了一个大洞');
    await sleep(150);
    expect(screen.getByTestId('category-current').dataset.code).toBe('100103');

    // ...until the agent asks for the suggestion back.
    fireEvent.click(screen.getByTestId('category-use-suggestion'));
    expect(screen.getByTestId('category-current').dataset.code).toBe('100102');
  });

  it('takes a clicked entity as the address', async () => {
    mockApi({ ...catalogRoutes, 'POST /api/classify': { body: buildClassification() } });
    renderForm();
    type('东湖路污水井盖破了');
    fireEvent.click(await screen.findByTestId('entity-location'));
    expect((screen.getByTestId('complaint-address') as HTMLInputElement).value).toBe('东湖路');
  });

  it('warns of likely duplicates once a place and a category are set', async () => {
    const api = mockApi({
      ...catalogRoutes,
      'POST /api/classify': { body: buildClassification() },
      'GET /api/reports/nearby': { body: { items: [buildCase({ caseNo: '20261121-0042' })] } },
    });
    renderForm();
    type('东湖路污水井盖破了');
    await screen.findByTestId('category-suggestion');
    expect(screen.queryByTestId('duplicate-warning')).toBeNull();

    fireEvent.click(await screen.findByTestId('map-click'));
    expect(screen.getByTestId('location-value').textContent).toContain('湖畔一网格');

    const warning = await screen.findByTestId('duplicate-warning');
    expect(within(warning).getByTestId('duplicate-item').dataset.caseNo).toBe('20261121-0042');
    const [nearby] = api.to('GET', '/api/reports/nearby');
    // The point clicked is the location.
    expect(nearby.query.get('lat')).toBe('30.21');
    expect(nearby.query.get('lng')).toBe('120.11');
    expect(nearby.query.get('categoryCode')).toBe('100102');
  });

  it('moves the map to the address typed and takes its point and grid, until the map is clicked', async () => {
    const api = mockApi({
      ...catalogRoutes,
      'GET /api/geo/search': {
        body: {
          items: [
            {
              label: '东湖路12号',
              precision: 'house',
              lat: 30.205,
              lng: 120.118,
              score: 0.96,
              grid: { id: 11, name: '湖畔一网格' },
              areaNames: [],
            },
          ],
        },
      },
    });
    renderForm();
    fireEvent.change(screen.getByTestId('complaint-address'), { target: { value: '東湖路１２號' } });
    await waitFor(() => expect(screen.getByTestId('location-value').dataset.source).toBe('address'));
    expect(api.to('GET', '/api/geo/search')[0].query.get('q')).toBe('東湖路１２號');
    expect(screen.getByTestId('location-value').textContent).toContain('湖畔一网格');
    expect(screen.getByTestId('location-map').dataset.focus).toBe('30.205,120.118');
    expect(screen.getByTestId('address-match').dataset.label).toBe('东湖路12号');
    fireEvent.click(screen.getByTestId('map-click-2'));
    expect(screen.getByTestId('location-value').dataset.source).toBe('map');
    expect(screen.getByTestId('location-value').textContent).toContain('湖畔二网格');
  });

  it('shows no warning when nothing is nearby', async () => {
    const api = mockApi({ ...catalogRoutes, 'POST /api/classify': { body: buildClassification() } });
    renderForm();
    type('东湖路污水井盖破了');
    await screen.findByTestId('category-suggestion');
    fireEvent.click(await screen.findByTestId('map-click-2'));
    await waitFor(() => expect(api.to('GET', '/api/reports/nearby')).toHaveLength(1));
    expect(screen.queryByTestId('duplicate-warning')).toBeNull();
  });

  it('keeps the same idempotency key when a failed submit is retried', async () => {
    const created = { report: { id: 'r1', disposition: 'opened' }, case: buildCase({ caseNo: '20261122-0007' }) };
    const api = mockApi({
      ...catalogRoutes,
      'POST /api/classify': { body: buildClassification() },
      'POST /api/reports': [apiError(503, 'unavailable', '服务暂不可用'), { status: 201, body: created }],
    });
    renderForm({ callId: 'call-77' });
    type('东湖路污水井盖破了');
    await screen.findByTestId('category-suggestion');

    fireEvent.click(screen.getByTestId('submit-report'));
    expect((await screen.findByTestId('submit-error')).textContent).toContain('服务暂不可用');

    // antd's Button drops its loading state in an effect, a render after the error shows; a click before that is ignored.
    await waitFor(() => expect(screen.getByTestId('submit-report').classList.contains('ant-btn-loading')).toBe(false));
    fireEvent.click(screen.getByTestId('submit-report'));
    expect((await screen.findByTestId('submit-result-caseno')).textContent).toBe('20261122-0007');

    const posts = api.to('POST', '/api/reports');
    expect(posts).toHaveLength(2);
    expect(posts[0].body.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1].body.idempotencyKey).toBe(posts[0].body.idempotencyKey);
    expect(posts[1].body).toMatchObject({
      channel: 'hotline',
      callId: 'call-77',
      text: '东湖路污水井盖破了',
      categoryCode: '100102',
    });
  });

  it('gives each new form its own idempotency key', () => {
    mockApi(catalogRoutes);
    const first = renderForm();
    const key1 = screen.getByTestId('complaint-form').dataset.idempotencyKey;
    first.unmount();
    renderForm();
    const key2 = screen.getByTestId('complaint-form').dataset.idempotencyKey;
    expect(key1).toBeTruthy();
    expect(key2).not.toBe(key1);
  });

  it('asks for the text before submitting', async () => {
    const api = mockApi(catalogRoutes);
    renderForm();
    fireEvent.click(screen.getByTestId('submit-report'));
    expect(await screen.findByText('请填写诉求内容')).toBeTruthy();
    expect(api.to('POST', '/api/reports')).toHaveLength(0);
  });

  it('files a desk entry without a call as channel "agent"', async () => {
    const created = { report: { id: 'r1', disposition: 'duplicate' }, case: buildCase() };
    const api = mockApi({
      ...catalogRoutes,
      'POST /api/classify': { body: buildClassification() },
      'POST /api/reports': { status: 201, body: created },
    });
    renderForm();
    type('东湖路污水井盖破了');
    fireEvent.click(screen.getByTestId('submit-report'));
    expect((await screen.findByTestId('submit-result')).dataset.disposition).toBe('duplicate');
    expect(api.to('POST', '/api/reports')[0].body.channel).toBe('agent');
    expect(api.to('POST', '/api/reports')[0].body.callId).toBeUndefined();
  });
});
