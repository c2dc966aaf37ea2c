import type { CategoryNode } from '../api/types';

export interface TreeOption {
  value: string;
  title: string;
  selectable?: boolean;
  children?: TreeOption[];
}

/** TreeSelect options; `leavesOnly` keeps 大类 as headings when a 小类 is what the API wants. */
export function toTreeOptions(nodes: CategoryNode[], leavesOnly: boolean): TreeOption[] {
  return nodes.map((n) => {
    const children = n.children?.length ? toTreeOptions(n.children, leavesOnly) : undefined;
    return {
      value: n.code,
      title: `${n.name}（${n.code}）`,
      selectable: !(leavesOnly && children),
      children,
    };
  });
}

export function categoryName(nodes: CategoryNode[], code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  for (const n of nodes) {
    if (n.code === code) return n.name;
    const inner = n.children ? categoryName(n.children, code) : undefined;
    if (inner) return inner;
  }
  return undefined;
}
