import { Button, Space, Typography } from 'antd';
import { t } from '../i18n/zh-CN';

/** Exactly the actions the server says this user may take on this case, in the order it gives them. */
export function CaseActions({
  actions,
  labels,
  onAction,
}: {
  actions: string[];
  /** The server's names for the steps, so the button says what the timeline will. */
  labels?: Record<string, string>;
  onAction: (action: string) => void;
}) {
  const transitions = actions.filter((a) => a !== 'split');
  if (!transitions.length) return <Typography.Text type="secondary">{t.caseDetail.noActions}</Typography.Text>;
  return (
    <Space wrap data-testid="case-actions">
      {transitions.map((a, i) => (
        <Button key={a} type={i === 0 ? 'primary' : 'default'} onClick={() => onAction(a)} data-testid={`action-${a}`}>
          {labels?.[a] ?? t.actions[a] ?? a}
        </Button>
      ))}
    </Space>
  );
}
