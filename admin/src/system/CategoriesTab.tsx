import { Empty, Tag, Tree } from 'antd';
import { useMemo } from 'react';
import type { CategoryNode } from '../api/types';
import { useCategories } from '../catalog/catalogCache';
import { t } from '../i18n/zh-CN';

interface Node {
  key: string;
  title: React.ReactNode;
  children?: Node[];
}

const toNodes = (nodes: CategoryNode[]): Node[] =>
  nodes.map((n) => ({
    key: n.code,
    title: (
      <span data-testid="category-node" data-code={n.code}>
        {n.kind && <Tag>{n.kind}</Tag>}
        {n.name} <span style={{ color: '#8c8c8c' }}>{n.code}</span>
      </span>
    ),
    children: n.children?.length ? toNodes(n.children) : undefined,
  }));

export function CategoriesTab() {
  const categories = useCategories();
  const treeData = useMemo(() => toNodes(categories), [categories]);
  if (!categories.length) return <Empty description={t.stats.noData} />;
  return <Tree treeData={treeData} showLine selectable={false} data-testid="category-tree" />;
}
