import { Button, Input, Select, Space } from 'antd';
import type { CaseFilters } from '../api/cases';
import { CASE_STATES, CHANNELS, DEADLINE_STATUSES } from '../api/types';
import { CategorySelect, DepartmentSelect, GridSelect } from '../catalog/Selects';
import { t } from '../i18n/zh-CN';

export function CaseFilterBar({
  filters,
  onChange,
  onReset,
}: {
  filters: CaseFilters;
  onChange: (patch: Partial<CaseFilters>) => void;
  onReset: () => void;
}) {
  const num = (v: string | undefined) => (v ? Number(v) : undefined);
  const str = (v: number | string | undefined) => (v === undefined ? undefined : String(v));
  return (
    <Space wrap data-testid="case-filters">
      <Select
        data-testid="filter-state"
        style={{ width: 120 }}
        placeholder={t.cases.state}
        allowClear
        value={filters.state}
        onChange={(v) => onChange({ state: v })}
        options={CASE_STATES.map((s) => ({ value: s, label: s }))}
      />
      <CategorySelect
        testId="filter-category"
        leavesOnly={false}
        placeholder={t.cases.category}
        value={filters.categoryCode}
        onChange={(v) => onChange({ categoryCode: v })}
        style={{ width: 200 }}
      />
      <GridSelect
        testId="filter-area"
        placeholder={t.cases.area}
        value={num(filters.areaId)}
        onChange={(v) => onChange({ areaId: str(v) })}
      />
      <DepartmentSelect
        testId="filter-department"
        placeholder={t.cases.department}
        value={num(filters.departmentId)}
        onChange={(v) => onChange({ departmentId: str(v) })}
      />
      <Select
        data-testid="filter-deadline"
        style={{ width: 130 }}
        placeholder={t.cases.deadlineStatus}
        allowClear
        value={filters.deadlineStatus}
        onChange={(v) => onChange({ deadlineStatus: v })}
        options={DEADLINE_STATUSES.map((s) => ({ value: s, label: s }))}
      />
      <Select
        data-testid="filter-channel"
        style={{ width: 130 }}
        placeholder={t.cases.channel}
        allowClear
        value={filters.channel}
        onChange={(v) => onChange({ channel: v })}
        options={CHANNELS.map((c) => ({ value: c, label: t.channels[c] ?? c }))}
      />
      <Input.Search
        data-testid="filter-keyword"
        style={{ width: 220 }}
        placeholder={t.cases.keywordPlaceholder}
        allowClear
        defaultValue={filters.q}
        key={filters.q ?? ''}
        onSearch={(v) => onChange({ q: v.trim() || undefined })}
        enterButton={
          <Button type="primary" data-testid="filter-search">
            {t.common.search}
          </Button>
        }
      />
      <Button onClick={onReset} data-testid="filter-reset">
        {t.common.reset}
      </Button>
    </Space>
  );
}
