// @vitest-environment jsdom
import '../test/setup';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { apiError, mockApi } from '../test/mockApi';
import { buildCase } from '../test/fixtures';
import { renderWithRouter } from '../test/renderWithRouter';
import { CaseActions } from './CaseActions';
import { TransitionDialog, type TransitionTarget } from './TransitionDialog';

const target: TransitionTarget = { id: 'c1', version: 7, surveyResult: null, transferAgency: null };
const departments = { 'GET /api/departments': { body: [{ id: 3, name: '市政管理处' }] } };

function open(action: string, overrides: Partial<TransitionTarget> = {}) {
  const onDone = vi.fn();
  const onReload = vi.fn();
  renderWithRouter(
    <TransitionDialog
      action={action}
      target={{ ...target, ...overrides }}
      onClose={() => undefined}
      onDone={onDone}
      onReload={onReload}
    />,
  );
  return { onDone, onReload };
}

const submit = () => fireEvent.click(screen.getByTestId('transition-submit'));
const note = (text: string) => fireEvent.change(screen.getByTestId('transition-note'), { target: { value: text } });

describe('TransitionDialog', () => {
  for (const action of ['reject', 'return', 'check_fail', 'rework', 'park', 'resolve']) {
    it(`requires a note for ${action}`, async () => {
      const api = mockApi({ ...departments, 'POST /api/cases/c1/transitions': { body: { case: buildCase() } } });
      const { onDone } = open(action);
      submit();
      expect(await screen.findByText('请填写说明')).toBeTruthy();
      note('   ');
      submit();
      await new Promise((r) => setTimeout(r, 50));
      expect(api.to('POST', '/api/cases/c1/transitions')).toHaveLength(0);

      note('现场核实无此问题');
      submit();
      await waitFor(() => expect(onDone).toHaveBeenCalled());
      expect(api.to('POST', '/api/cases/c1/transitions')[0].body).toMatchObject({
        action,
        version: 7,
        note: '现场核实无此问题',
      });
    });
  }

  it('dispatches without a note and with the default department', async () => {
    const api = mockApi({ ...departments, 'POST /api/cases/c1/transitions': { body: { case: buildCase() } } });
    const { onDone } = open('dispatch');
    expect(screen.getByTestId('transition-department')).toBeTruthy();
    submit();
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.to('POST', '/api/cases/c1/transitions')[0].body).toEqual({ action: 'dispatch', version: 7 });
  });

  it('still sends when a field changes while the form is being checked', async () => {
    // A change right after the click (an input method finishing a word) starts a newer check,
    // and antd answers the older one with "outOfDate": the click must not be lost.
    const api = mockApi({ ...departments, 'POST /api/cases/c1/transitions': { body: { case: buildCase() } } });
    const { onDone } = open('dispatch');
    submit();
    note('请尽快处理');
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.to('POST', '/api/cases/c1/transitions')).toHaveLength(1);
    expect(api.to('POST', '/api/cases/c1/transitions')[0].body).toMatchObject({ action: 'dispatch', version: 7 });
  });

  it('asks for hours and a note for an extension', async () => {
    const api = mockApi({ 'POST /api/cases/c1/transitions': { body: { case: buildCase() } } });
    const { onDone } = open('request_extension');
    submit();
    expect(await screen.findByText('请填写延期小时数')).toBeTruthy();
    fireEvent.change(screen.getByTestId('transition-hours'), { target: { value: '24' } });
    note('需协调供电部门');
    submit();
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.to('POST', '/api/cases/c1/transitions')[0].body).toEqual({
      action: 'request_extension',
      version: 7,
      hours: 24,
      note: '需协调供电部门',
    });
  });

  it('requires a note to close without a survey result (an override) but not with one', async () => {
    const api = mockApi({ 'POST /api/cases/c1/transitions': { body: { case: buildCase() } } });
    const first = open('close');
    submit();
    expect(await screen.findByText('请填写说明')).toBeTruthy();
    expect(first.onDone).not.toHaveBeenCalled();

    document.body.innerHTML = '';
    const second = open('close', { surveyResult: '满意' });
    submit();
    await waitFor(() => expect(second.onDone).toHaveBeenCalled());
    expect(api.to('POST', '/api/cases/c1/transitions')[0].body).toEqual({ action: 'close', version: 7 });
  });

  it('confirms a plain action without asking for anything', async () => {
    const api = mockApi({ 'POST /api/cases/c1/transitions': { body: { case: buildCase() } } });
    const { onDone } = open('register');
    submit();
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.to('POST', '/api/cases/c1/transitions')[0].body).toEqual({ action: 'register', version: 7 });
  });

  it('explains a stale version and offers a reload', async () => {
    mockApi({
      'POST /api/cases/c1/transitions': apiError(409, 'stale_version', '案件已被他人更新，请刷新后重试'),
    });
    const { onDone, onReload } = open('register');
    submit();
    const stale = await screen.findByTestId('stale-version');
    expect(stale.textContent).toContain('案件已被他人更新，请刷新后重试');
    fireEvent.click(screen.getByTestId('stale-reload'));
    expect(onReload).toHaveBeenCalled();
    expect(onDone).not.toHaveBeenCalled();
  });

  it('shows other refusals as they come', async () => {
    mockApi({
      'POST /api/cases/c1/transitions': apiError(409, 'illegal_transition', '当前状态「结案」不允许执行「立案」'),
    });
    open('register');
    submit();
    expect((await screen.findByTestId('transition-error')).textContent).toContain('不允许执行');
  });
});

describe('CaseActions', () => {
  it('offers exactly the actions the server allows', () => {
    renderWithRouter(<CaseActions actions={['dispatch', 'reject', 'park']} onAction={() => undefined} />);
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.dataset.testid)).toEqual(['action-dispatch', 'action-reject', 'action-park']);
    expect(buttons.map((b) => b.textContent?.replace(/\s/g, ''))).toEqual(['派遣', '不予立案', '挂账']);
  });

  it('says so when there is nothing to do', () => {
    renderWithRouter(<CaseActions actions={[]} onAction={() => undefined} />);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.getByText('当前无可执行操作')).toBeTruthy();
  });
});
