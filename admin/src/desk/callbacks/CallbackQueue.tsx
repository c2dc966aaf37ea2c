import { Alert, App, Button, Form, Input, Modal, Radio, Space, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useState } from 'react';
import { itemsOf } from '../../api/lists';
import {
  answerSurvey,
  callbackQueue,
  recordCallbackAttempt,
  revealForCallback,
  startCallbackCall,
} from '../../api/surveys';
import { SURVEY_RESULTS } from '../../api/types';
import type { CallbackItem } from '../../api/generated';
import { t } from '../../i18n/zh-CN';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatTime, pick } from '../../shared/format';
import { useRemote } from '../../shared/useRemote';
import { validValues } from '../../shared/validValues';

// A queue item (server/routes/surveys/present.ts): {id: survey id | null, reason, survey, case, citizen}.
const caseNoOf = (s: CallbackItem) => pick(s.case, 'caseNo') ?? pick(s, 'caseNo') ?? '';
const rowKey = (s: CallbackItem) => String(s.id ?? s.case?.id ?? caseNoOf(s));

/** Surveys the automatic channels could not complete; an agent calls back and records the answer. */
export function CallbackQueue() {
  const { message } = App.useApp();
  const remote = useRemote(async () => {
    const payload = await callbackQueue();
    return { items: itemsOf(payload), pbx: !Array.isArray(payload) && !!payload?.pbx };
  }, []);
  const [current, setCurrent] = useState<CallbackItem | null>(null);
  const [missed, setMissed] = useState<CallbackItem | null>(null);
  const [phones, setPhones] = useState<Record<string, string>>({});
  const [missForm] = Form.useForm<{ outcome: string }>();

  const reveal = async (s: CallbackItem) => {
    try {
      const { phone } = await revealForCallback(String(s.id));
      setPhones((p) => ({ ...p, [String(s.id)]: phone }));
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  const dial = async (s: CallbackItem) => {
    try {
      const { extension } = await startCallbackCall(String(s.id));
      message.success(t.callbacks.dialing(extension));
      remote.reload();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  const saveMiss = async () => {
    const values = await validValues(missForm);
    if (!values) return;
    setBusy(true);
    setError(undefined);
    try {
      await recordCallbackAttempt(String(missed!.id), values.outcome);
      message.success(t.callbacks.missDone);
      setMissed(null);
      remote.reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ result: string; comment?: string }>();

  const open = (s: CallbackItem) => {
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
      {remote.data && !remote.data.pbx && (
        <Alert type="info" showIcon message={t.callbacks.noPbx} data-testid="callback-no-pbx" />
      )}
      <Table<CallbackItem>
        rowKey={rowKey}
        size="small"
        loading={remote.loading}
        dataSource={remote.data?.items ?? []}
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
            render: (_, s) => (
              <Space direction="vertical" size={0}>
                <span>
                  {[pick(s.citizen, 'name'), pick(s.citizen, 'phoneMasked') ?? pick(s, 'phoneMasked')]
                    .filter(Boolean)
                    .join(' ') || t.common.none}
                </span>
                {phones[String(s.id)] ? (
                  <Typography.Text strong data-testid="callback-phone">
                    {t.callbacks.revealed(phones[String(s.id)])}
                  </Typography.Text>
                ) : s.id && pick(s.citizen, 'phoneMasked') ? (
                  <Button size="small" onClick={() => reveal(s)} data-testid="callback-reveal">
                    {t.callbacks.reveal}
                  </Button>
                ) : null}
              </Space>
            ),
          },
          { title: t.callbacks.reason, render: (_, s) => t.callbacks.reasons[s.reason] ?? s.reason ?? t.common.none },
          {
            title: t.callbacks.attempts,
            render: (_, s) => (
              <Space direction="vertical" size={0}>
                <span data-testid="callback-attempts">
                  {t.callbacks.attemptsText(Number(s.automaticAttempts ?? 0), Number(s.callbackAttempts ?? 0))}
                </span>
                {s.pendingCall && (
                  <Typography.Text type="warning" data-testid="callback-pending">
                    {t.callbacks.pendingCall(formatTime(s.pendingCall.startedAt))}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t.callbacks.due,
            render: (_, s) => formatTime(pick(s.survey, 'nextAttemptAt', 'createdAt') ?? pick(s.case, 'updatedAt')),
          },
          {
            title: '',
            render: (_, s) =>
              s.id ? (
                <Space>
                  {remote.data?.pbx && (
                    <Button size="small" onClick={() => dial(s)} disabled={!!s.pendingCall} data-testid="callback-dial">
                      {t.callbacks.dial}
                    </Button>
                  )}
                  <Button size="small" type="primary" onClick={() => open(s)} data-testid="callback-answer">
                    {t.callbacks.record}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => {
                      missForm.resetFields();
                      setError(undefined);
                      setMissed(s);
                    }}
                    data-testid="callback-miss"
                  >
                    {t.callbacks.recordMiss}
                  </Button>
                </Space>
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
      <Modal
        open={!!missed}
        title={missed ? t.callbacks.missTitle(caseNoOf(missed)) : ''}
        onCancel={() => setMissed(null)}
        onOk={saveMiss}
        okText={t.common.save}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'callback-miss-submit' }}
        destroyOnHidden
      >
        <Form form={missForm} layout="vertical" preserve={false}>
          <Form.Item
            name="outcome"
            label={t.callbacks.outcome}
            rules={[{ required: true, message: t.callbacks.outcomeRequired }]}
          >
            <Radio.Group
              data-testid="callback-outcome"
              optionType="button"
              options={Object.entries(t.callbacks.outcomes).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Form>
        {error && <ErrorAlert error={new Error(error)} testId="callback-miss-error" />}
      </Modal>
    </Space>
  );
}
