import { Picker, Text, View } from '@tarojs/components';
import { useEffect, useMemo, useState } from 'react';
import type { CategoryNode, Classification } from '../../api/types';
import type { Draft } from '../../draft/store';
import { zh } from '../../i18n/zh-CN';

interface Props {
  tree: CategoryNode[];
  draft: Draft;
  suggestion: Classification | null;
  suggesting: boolean;
  onPick: (code: string, name: string) => void;
}

/** The suggested category, and a two-column picker (大类 / 小类) to overrule it. */
export function CategoryField({ tree, draft, suggestion, suggesting, onPick }: Props) {
  const [major, setMajor] = useState(0);
  const [minor, setMinor] = useState(0);

  // Open the picker on whatever is shown now, so a small correction is one flick away.
  const shownCode = draft.categoryManual ? draft.categoryCode : suggestion?.minor?.code;
  useEffect(() => {
    const mi = tree.findIndex((m) => m.children?.some((c) => c.code === shownCode));
    if (mi < 0) return;
    setMajor(mi);
    setMinor(
      Math.max(
        0,
        tree[mi].children!.findIndex((c) => c.code === shownCode),
      ),
    );
  }, [tree, shownCode]);

  const columns = useMemo(
    () => [tree.map((m) => m.name), (tree[major]?.children ?? []).map((c) => c.name)],
    [tree, major],
  );

  let label: string = zh.report.suggested;
  let name: string = zh.report.categoryNone;
  if (draft.categoryManual && draft.categoryName) {
    label = zh.report.chosen;
    name = draft.categoryName;
  } else if (suggestion?.minor) {
    name = suggestion.major ? `${suggestion.major.name} / ${suggestion.minor.name}` : suggestion.minor.name;
  } else if (suggestion?.major) {
    name = suggestion.major.name;
  }

  return (
    <View id="category" className="category">
      <View className="category-current">
        <Text className="hint">{label}</Text>
        <Text id="category-name" className={`category-name ${suggesting ? 'category-pending' : ''}`}>
          {suggesting && !draft.categoryManual ? zh.report.suggesting : name}
        </Text>
      </View>
      {tree.length > 0 && (
        <Picker
          mode="multiSelector"
          range={columns}
          value={[major, minor]}
          onColumnChange={(e) => {
            if (e.detail.column === 0) {
              setMajor(e.detail.value);
              setMinor(0);
            }
          }}
          onChange={(e) => {
            const [mi, ni] = e.detail.value as number[];
            const picked = tree[mi]?.children?.[ni];
            if (picked) onPick(picked.code, `${tree[mi].name} / ${picked.name}`);
          }}
        >
          <View id="category-change" className="btn btn-secondary btn-small">
            {zh.report.changeCategory}
          </View>
        </Picker>
      )}
      {suggestion?.transfer && !draft.categoryManual && (
        <View id="category-transfer" className="hint category-transfer">
          {zh.report.transferHint(suggestion.transfer.agency)}
        </View>
      )}
    </View>
  );
}
