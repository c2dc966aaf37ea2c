import { Alert, Button } from 'antd';
import { t } from '../i18n/zh-CN';

export function ErrorAlert({ error, onRetry, testId }: { error: Error; onRetry?: () => void; testId?: string }) {
  return (
    <Alert
      type="error"
      showIcon
      message={error.message}
      data-testid={testId ?? 'error-alert'}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t.common.retry}
          </Button>
        ) : undefined
      }
    />
  );
}
