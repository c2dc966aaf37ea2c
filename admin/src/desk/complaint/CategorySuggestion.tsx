import { Alert, Button, Progress, Space, Spin, Tag, Typography } from 'antd';
import type { Classification } from '../../api/types';
import { t } from '../../i18n/zh-CN';

const percent = (x: number) => Math.round((x ?? 0) * 100);

export function CategorySuggestion({
  result,
  loading,
  failed,
  overridden,
  onPick,
  onUseSuggestion,
}: {
  result: Classification | null;
  loading: boolean;
  failed: boolean;
  overridden: boolean;
  onPick: (code: string) => void;
  onUseSuggestion: () => void;
}) {
  if (!result && !loading && !failed) return null;
  const suggested = result?.minor ?? result?.major;

  return (
    <div
      data-testid="category-suggestion"
      data-code={result?.minor?.code ?? ''}
      style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 6, padding: 12, marginBottom: 12 }}
    >
      <Space direction="vertical" style={{ width: '100%' }} size={6}>
        <Space wrap>
          <Typography.Text strong>{t.complaint.suggestion}</Typography.Text>
          {loading && <Spin size="small" />}
          {loading && <Typography.Text type="secondary">{t.complaint.classifying}</Typography.Text>}
        </Space>
        {failed && !result && <Typography.Text type="warning">{t.complaint.classifyFailed}</Typography.Text>}
        {result && suggested && (
          <Space wrap align="center">
            {result.kind && <Tag>{result.kind}</Tag>}
            {result.major && result.minor && <Typography.Text type="secondary">{result.major.name} /</Typography.Text>}
            <Typography.Text strong data-testid="category-suggested-name">
              {suggested.name}
            </Typography.Text>
            <Space size={6} data-testid="category-confidence">
              <span>
                {t.complaint.confidence} {percent(result.confidence)}%
              </span>
              <Progress
                percent={percent(result.confidence)}
                size="small"
                showInfo={false}
                style={{ width: 100, margin: 0 }}
                strokeColor={result.needsReview ? '#faad14' : '#52c41a'}
              />
            </Space>
            {overridden && (
              <Button size="small" onClick={onUseSuggestion} data-testid="category-use-suggestion">
                {t.complaint.useSuggestion}
              </Button>
            )}
          </Space>
        )}
        {result?.needsReview && <Alert type="warning" showIcon message={t.complaint.needsReview} />}
        {result?.transfer?.agency && (
          <Alert type="info" showIcon message={t.complaint.transferHint(result.transfer.agency)} />
        )}
        {result && result.alternatives?.length > 0 && (
          <Space wrap>
            <Typography.Text type="secondary">{t.complaint.alternatives}：</Typography.Text>
            {result.alternatives.map((a) => (
              <Button
                key={a.code}
                size="small"
                onClick={() => onPick(a.code)}
                data-testid="category-alternative"
                data-code={a.code}
              >
                {a.name} {percent(a.confidence)}%
              </Button>
            ))}
          </Space>
        )}
      </Space>
    </div>
  );
}
