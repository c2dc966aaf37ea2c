import { App, Button, Form, Input, Modal, Radio, Space, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useState } from 'react';
import { itemsOf } from '../../api/lists';
import { answerSurvey, callbackQueue } from '../../api/surveys';
import { SURVEY_RESULTS, type Loose } from '../../api/types';
import { t } from '../../i18n/zh-CN';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatTime, pick } from '../../shared/format';
import { useRemote } from '../../shared/useRemote';
import { validValues } from '../../shared/validValues';

// A queue item (server/routes/surveys/present.ts): {id: survey id | null, reason, survey, case, citizen}.
const caseNoOf = (s: Loose) => pick(s.case, 'caseNo') ?? pick(s, 'caseNo') ?? '';
const rowKey = (s: Loose) => String(s.id ?? s.case?.id ?? caseNoOf(s));

/** Surveys the automatic channels could not complete; an agent calls back and records the answer. */
export function CallbackQueue() {
  const { message } = App.useApp();
  const remote = useRemote(async () => itemsOf(await callbackQueue()), []);
  const [current, setCurrent] = useState<Loose | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ result: string; comment?: string }>();

  const open = (s: Loose) => {
    form.resetFields();
    setError(undefined);
    setCurrent(s);
  };

  const save = async () => {
    const values = await validValues(form);
    if (!values) return;
    setBusy(true);
    setError(undefined);
    try {
      await answerSurvey(String(current!.id), values.result, values.comment?.trim() || undefined);
      message.success(t.callbacks.done);
      setCurrent(null);
      remote.reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button onClick={remote.reload} data-testid="callback-reload">
        {t.common.reload}
      </Button>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<Loose>
        rowKey={rowKey}
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        locale={{ emptyText: t.callbacks.empty }}
        pagination={false}
        onRow={(s) =>
          ({ 'data-testid': 'callback-row', 'data-case-no': caseNoOf(s) }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t.callbacks.caseNo,
            render: (_, s) =>
              s.case?.id ? <Link to={`/cases/${s.case.id}`}>{caseNoOf(s)}</Link> : caseNoOf(s) || t.common.none,
          },
          { title: t.cases.caseTitle, render: (_, s) => pick(s.case, 'title') ?? t.common.none },
          {
            title: t.callbacks.citizen,
            render: (_, s) =>
              [pick(s.citizen, 'name'), pick(s.citizen, 'phoneMasked') ?? pick(s, 'phoneMasked')]
                .filter(Boolean)
                .join(' ') || t.common.none,
          },
          { title: t.callbacks.reason, render: (_, s) => t.callbacks.reasons[s.reason] ?? s.reason ?? t.common.none },
          { title: t.callbacks.attempts, render: (_, s) => pick(s.survey, 'attempts') ?? pick(s, 'attempts') ?? 0 },
          {
            title: t.callbacks.due,
            render: (_, s) => formatTime(pick(s.survey, 'nextAttemptAt', 'createdAt') ?? pick(s.case, 'updatedAt')),
          },
          {
            title: '',
            render: (_, s) =>
              s.id ? (
                <Button size="small" type="primary" onClick={() => open(s)} data-testid="callback-answer">
                  {t.callbacks.record}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t.callbacks.noSurvey}</Typography.Text>
              ),
          },
        ]}
      />
      <Modal
        open={!!current}
        title={current ? t.callbacks.dialogTitle(caseNoOf(current)) : ''}
        onCancel={() => setCurrent(null)}
        onOk={save}
        okText={t.common.save}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'callback-submit' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="result"
            label={t.callbacks.result}
            rules={[{ required: true, message: t.callbacks.resultRequired }]}
          >
            <Radio.Group data-testid="callback-result" optionType="button" options={SURVEY_RESULTS} />
          </Form.Item>
          <Form.Item name="comment" label={t.callbacks.comment}>
            <Input.TextArea rows={3} data-testid="callback-comment" />
          </Form.Item>
        </Form>
        {error && <ErrorAlert error={new Error(error)} testId="callback-error" />}
      </Modal>
    </Space>
  );
}
