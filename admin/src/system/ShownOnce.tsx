import { Alert } from 'antd';

/** A secret or password the server returned once: shown until closed, never kept. */
export function ShownOnce({ text, onClose, testId }: { text: string | null; onClose: () => void; testId: string }) {
  if (!text) return null;
  return <Alert type="warning" showIcon closable onClose={onClose} message={text} data-testid={testId} />;
}
