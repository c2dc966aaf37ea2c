import { Input, List, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { searchKnowledge, type KnowledgeAnswer } from '../../api/knowledge';
import { t } from '../../i18n/zh-CN';
import { useDebounced } from '../../shared/useDebounced';

/** The 咨询 knowledge base, searched as the agent types; picking an entry fills in its answer. */
export function KnowledgeSearch({ initial, onPick }: { initial: string; onPick: (a: KnowledgeAnswer) => void }) {
  const [q, setQ] = useState(initial);
  const query = useDebounced(q.trim(), 300);
  const [items, setItems] = useState<KnowledgeAnswer[]>([]);

  useEffect(() => {
    if (!query) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    searchKnowledge(query, controller.signal)
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
    return () => controller.abort();
  }, [query]);

  return (
    <div data-testid="knowledge-search">
      <Input.Search
        data-testid="knowledge-query"
        value={q}
        placeholder={t.complaint.knowledgePlaceholder}
        onChange={(e) => setQ(e.target.value)}
        allowClear
      />
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: query ? t.complaint.knowledgeEmpty : ' ' }}
        renderItem={(a) => (
          <List.Item data-testid="knowledge-item" style={{ cursor: 'pointer' }} onClick={() => onPick(a)}>
            <List.Item.Meta
              title={a.question}
              description={<Typography.Text type="secondary">{a.answer}</Typography.Text>}
            />
          </List.Item>
        )}
      />
    </div>
  );
}
