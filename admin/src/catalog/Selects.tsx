import { Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { t } from '../i18n/zh-CN';
import { toTreeOptions } from './categoryTree';
import { useAllAreas, useCategories, useDepartments, useGridCells } from './catalogCache';

interface Common<V> {
  value?: V;
  onChange?: (value: V | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  testId?: string;
  style?: React.CSSProperties;
}

export function CategorySelect({
  leavesOnly = true,
  value,
  onChange,
  placeholder,
  allowClear = true,
  testId,
  style,
}: Common<string> & { leavesOnly?: boolean }) {
  const nodes = useCategories();
  const treeData = useMemo(() => toTreeOptions(nodes, leavesOnly), [nodes, leavesOnly]);
  return (
    <TreeSelect
      data-testid={testId}
      style={{ minWidth: 200, ...style }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch
      treeNodeFilterProp="title"
      popupMatchSelectWidth={false}
      // 大类 that cannot be chosen open on click, so the tree is usable without the small arrows.
      treeExpandAction={leavesOnly ? 'click' : false}
    />
  );
}

export function DepartmentSelect({ value, onChange, placeholder, allowClear = true, testId, style }: Common<number>) {
  const departments = useDepartments();
  return (
    <Select
      data-testid={testId}
      style={{ minWidth: 160, ...style }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={departments.map((d) => ({ value: d.id, label: d.name }))}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch
      optionFilterProp="label"
    />
  );
}

export function GridSelect({ value, onChange, placeholder, allowClear = true, testId, style }: Common<number>) {
  const cells = useGridCells();
  return (
    <Select
      data-testid={testId}
      style={{ minWidth: 160, ...style }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={cells.map((c) => ({ value: c.properties.id, label: c.properties.name }))}
      placeholder={placeholder ?? t.cases.area}
      allowClear={allowClear}
      showSearch
      optionFilterProp="label"
    />
  );
}

const levelOrder = ['district', 'street', 'community', 'grid'] as const;

/** Any area, grouped by level (区、街道、社区、网格), for the 指挥手册. */
export function AreaSelect({ value, onChange, placeholder, allowClear = true, testId, style }: Common<number>) {
  const areas = useAllAreas();
  const options = levelOrder
    .map((level) => ({
      label: t.system.areaLevels[level],
      options: areas
        .filter((a) => a.properties.level === level)
        .map((a) => ({ value: a.properties.id, label: a.properties.name })),
    }))
    .filter((g) => g.options.length);
  return (
    <Select
      data-testid={testId}
      style={{ minWidth: 200, ...style }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={options}
      placeholder={placeholder ?? t.cases.area}
      allowClear={allowClear}
      showSearch
      optionFilterProp="label"
    />
  );
}
