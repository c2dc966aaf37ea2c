import { Alert, Button, Form, Input, InputNumber, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { caseIdByNumber, transition, type TransitionBody } from '../api/cases';
import { DepartmentSelect } from '../catalog/Selects';
import { t } from '../i18n/zh-CN';
import { PhotoUpload } from '../shared/PhotoUpload';
import { fieldsFor, noteRequired } from './transitionFields';
import { validValues } from '../shared/validValues';

interface Values {
  note?: string;
  departmentId?: number;
  agency?: string;
  hours?: number;
  mergeCaseNo?: string;
}

export interface TransitionTarget {
  id: string;
  version: number;
  surveyResult: string | null;
  transferAgency: string | null;
}

/** Asks for what one action needs, sends it with the case's version, and reports a stale version plainly. */
export function TransitionDialog({
  action,
  target,
  onClose,
  onDone,
  onReload,
  labels,
}: {
  /** The server's names for the steps (CaseDetail.actionLabels). */
  labels?: Record<string, string>;
  action: string | null;
  target: TransitionTarget;
  onClose: () => void;
  onDone: (label: string) => void;
  onReload: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const label = action ? (labels?.[action] ?? t.actions[action] ?? action) : '';
  const spec = fieldsFor(action ?? '');
  const needNote = action ? noteRequired(action, target.surveyResult) : false;

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    if (spec.agency && target.transferAgency) form.setFieldValue('agency', target.transferAgency);
    setPhotos([]);
    setError(null);
  }, [action, form, spec.agency, target.transferAgency]);

  const submit = async () => {
    if (!action) return;
    const values = await validValues(form);
    if (!values) return;
    const body: TransitionBody = { action, version: target.version };
    if (values.note?.trim()) body.note = values.note.trim();
    if (spec.department && values.departmentId) body.departmentId = values.departmentId;
    if (spec.agency && values.agency?.trim()) body.agency = values.agency.trim();
    if (spec.hours && values.hours) body.hours = values.hours;
    if (spec.photos && photos.length) body.attachments = photos;
    setBusy(true);
    setError(null);
    try {
      if (spec.mergeInto) {
        const into = await caseIdByNumber(values.mergeCaseNo?.trim() ?? '');
        if (!into) throw new Error(t.transition.mergeNotFound);
        body.mergeInto = into;
      }
      await transition(target.id, body);
      onDone(label);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const stale = error instanceof ApiError && error.code === 'stale_version';

  return (
    <Modal
      open={!!action}
      title={t.transition.title(label)}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose} data-testid="transition-cancel">
          {t.common.cancel}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={busy}
          onClick={submit}
          disabled={stale}
          data-testid="transition-submit"
        >
          {label}
        </Button>,
      ]}
    >
      <div data-testid="transition-dialog" data-action={action ?? ''}>
        <Form form={form} layout="vertical" preserve={false}>
          {spec.department && (
            <Form.Item name="departmentId" label={t.transition.department}>
              <DepartmentSelect testId="transition-department" placeholder={t.transition.departmentDefault} />
            </Form.Item>
          )}
          {spec.agency && (
            <Form.Item
              name="agency"
              label={t.transition.agency}
              rules={[{ required: true, message: t.transition.agencyRequired }]}
            >
              <Input data-testid="transition-agency" />
            </Form.Item>
          )}
          {spec.hours && (
            <Form.Item
              name="hours"
              label={t.transition.hours}
              rules={[{ required: true, message: t.transition.hoursRequired }]}
            >
              <InputNumber min={1} max={720} precision={0} data-testid="transition-hours" style={{ width: 160 }} />
            </Form.Item>
          )}
          {spec.mergeInto && (
            <Form.Item
              name="mergeCaseNo"
              label={t.transition.mergeInto}
              rules={[{ required: true, whitespace: true, message: t.transition.mergeRequired }]}
            >
              <Input data-testid="transition-merge-into" placeholder={t.transition.mergePlaceholder} />
            </Form.Item>
          )}
          {spec.note && (
            <Form.Item
              name="note"
              label={t.transition.note}
              extra={spec.note === 'unless-survey' ? t.transition.closeNoteHint : undefined}
              rules={[{ required: needNote, whitespace: true, message: t.transition.noteRequired }]}
            >
              <Input.TextArea rows={3} data-testid="transition-note" />
            </Form.Item>
          )}
          {spec.photos && (
            <Form.Item label={t.transition.photos}>
              <PhotoUpload onChange={setPhotos} max={9} testId="transition-photos" />
            </Form.Item>
          )}
        </Form>
        {error && (
          <Alert
            type={stale ? 'warning' : 'error'}
            showIcon
            data-testid={stale ? 'stale-version' : 'transition-error'}
            message={stale ? t.transition.staleTitle : error.message}
            description={stale ? error.message : undefined}
            action={
              stale ? (
                <Button size="small" type="primary" onClick={onReload} data-testid="stale-reload">
                  {t.common.reload}
                </Button>
              ) : undefined
            }
          />
        )}
      </div>
    </Modal>
  );
}
