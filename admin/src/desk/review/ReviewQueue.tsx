import { App, Button, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { reclassify, reviewQueue } from '../../api/cases';
import type { CaseSummary } from '../../api/types';
import { CategorySelect } from '../../catalog/Selects';
import { t } from '../../i18n/zh-CN';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatTime } from '../../shared/format';
import { useRemote } from '../../shared/useRemote';

/** Reports the classifier was unsure about: the agent confirms or corrects the category. */
export function ReviewQueue() {
  const { message } = App.useApp();
  const remote = useRemote(() => reviewQueue(), []);
  const [choice, setChoice] = useState<Record<string, string | undefined>>({});
  const [busy, setBusy] = useState<string>();

  const confirm = async (c: CaseSummary) => {
    const code = choice[c.id] ?? c.category?.code;
    if (!code) return;
    setBusy(c.id);
    try {
      await reclassify(c.id, code, c.version);
      message.success(t.review.done);
      remote.reload();
    } catch (err) {
      message.error((err as Error).message);
      // A stale version means someone else moved the case: the fresh list shows its new state.
      remote.reload();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button onClick={remote.reload} data-testid="review-reload">
        {t.common.reload}
      </Button>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<CaseSummary>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data?.items ?? []}
        locale={{ emptyText: t.review.empty }}
        pagination={false}
        onRow={(c) => ({ 'data-testid': 'review-row', 'data-case-no': c.caseNo }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t.cases.caseNo, render: (_, c) => <Link to={`/cases/${c.id}`}>{c.caseNo}</Link> },
          { title: t.cases.caseTitle, dataIndex: 'title' },
          { title: t.cases.category, render: (_, c) => (c.category ? <Tag>{c.category.name}</Tag> : t.common.none) },
          { title: t.cases.createdAt, render: (_, c) => formatTime(c.createdAt) },
          {
            title: t.review.newCategory,
            render: (_, c) => (
              <Space>
                <CategorySelect
                  testId="review-category"
                  value={choice[c.id] ?? c.category?.code}
                  onChange={(v) => setChoice((m) => ({ ...m, [c.id]: v }))}
                  style={{ width: 240 }}
                />
                <Button
                  type="primary"
                  size="small"
                  loading={busy === c.id}
                  disabled={!(choice[c.id] ?? c.category?.code)}
                  onClick={() => confirm(c)}
                  data-testid="review-submit"
                >
                  {t.review.submit}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
