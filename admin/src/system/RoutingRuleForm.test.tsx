// @vitest-environment jsdom
import '../test/setup';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { RoutingRule } from '../api/types';
import { apiError, mockApi } from '../test/mockApi';
import { categoryTree } from '../test/fixtures';
import { renderWithRouter } from '../test/renderWithRouter';
import { RoutingRuleForm } from './RoutingRuleForm';

const rule: RoutingRule = {
  id: 5,
  city: 'default',
  categoryCode: '100102',
  areaId: null,
  departmentId: 3,
  deadlineHours: 24,
  deadlineType: 'working',
  priority: '一般',
  urgentDeadlineHours: null,
  active: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const catalog = {
  'GET /api/categories': { body: categoryTree },
  'GET /api/departments': { body: [{ id: 3, name: '市政管理处' }] },
  'GET /api/areas': { body: { type: 'FeatureCollection', features: [] } },
};

function renderForm() {
  const onSaved = vi.fn();
  renderWithRouter(<RoutingRuleForm rule={rule} open onClose={() => undefined} onSaved={onSaved} />);
  return onSaved;
}

describe('RoutingRuleForm', () => {
  it('shows a rule conflict on the form', async () => {
    mockApi({
      ...catalog,
      'PUT /api/routing-rules/5': apiError(
        422,
        'rule_conflict',
        '与规则 #2 的分类和区域完全相同，请修改该规则或停用其中一条',
      ),
    });
    const onSaved = renderForm();
    fireEvent.click(await screen.findByTestId('rule-save'));
    const error = await screen.findByTestId('rule-error');
    expect(error.textContent).toContain('与规则 #2');
    expect(error.dataset.code).toBe('rule_conflict');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('puts a validation error under the field it names', async () => {
    const api = mockApi({
      ...catalog,
      'PUT /api/routing-rules/5': apiError(
        400,
        'invalid_request',
        'deadlineHours: Too small: expected number to be >0',
      ),
    });
    renderForm();
    fireEvent.click(await screen.findByTestId('rule-save'));
    expect(await screen.findByText('Too small: expected number to be >0')).toBeTruthy();
    expect(screen.queryByTestId('rule-error')).toBeNull();
    expect(api.to('PUT', '/api/routing-rules/5')[0].body).toEqual({
      categoryCode: '100102',
      areaId: null,
      departmentId: 3,
      deadlineHours: 24,
      deadlineType: 'working',
      priority: '一般',
      active: true,
    });
  });

  it('puts a 422 that names a field under that field', async () => {
    mockApi({
      ...catalog,
      'PUT /api/routing-rules/5': apiError(422, 'unknown_category', 'categoryCode: 分类代码 100102 不存在'),
    });
    renderForm();
    fireEvent.click(await screen.findByTestId('rule-save'));
    expect(await screen.findByText('分类代码 100102 不存在')).toBeTruthy();
    expect(screen.queryByTestId('rule-error')).toBeNull();
  });

  it('saves a valid rule', async () => {
    mockApi({ ...catalog, 'PUT /api/routing-rules/5': { body: { rule } } });
    const onSaved = renderForm();
    fireEvent.click(await screen.findByTestId('rule-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });
});
