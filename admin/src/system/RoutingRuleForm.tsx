import { Alert, Form, InputNumber, Modal, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { createRule, updateRule, type RoutingRuleInput } from '../api/routingRules';
import { PRIORITIES, type RoutingRule } from '../api/types';
import { CategorySelect, DepartmentSelect, AreaSelect } from '../catalog/Selects';
import { t } from '../i18n/zh-CN';
import { placeApiError } from './apiFormError';
import { validValues } from '../shared/validValues';

const FIELDS = ['categoryCode', 'areaId', 'departmentId', 'deadlineHours', 'deadlineType', 'priority', 'active'];

const blank: Partial<RoutingRuleInput> = { deadlineType: 'working', priority: '一般', active: true, areaId: null };

/** Create or edit one 指挥手册 rule; the server's objections appear on the form itself. */
export function RoutingRuleForm({
  rule,
  open,
  onClose,
  onSaved,
}: {
  rule: RoutingRule | null;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<RoutingRuleInput>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<{ message: string; code?: string } | null>(null);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(rule ?? blank);
    setFormError(null);
  }, [open, rule, form]);

  const save = async () => {
    const values = await validValues(form);
    if (!values) return;
    const body: RoutingRuleInput = { ...values, areaId: values.areaId ?? null, active: values.active ?? true };
    setBusy(true);
    setFormError(null);
    try {
      if (rule) await updateRule(rule.id, body);
      else await createRule(body);
      onSaved();
    } catch (err) {
      const placed = placeApiError(err, FIELDS);
      if (placed.field) form.setFields([{ name: placed.field as keyof RoutingRuleInput, errors: [placed.message] }]);
      else setFormError(placed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={rule ? t.system.editRule : t.system.newRule}
      onCancel={onClose}
      onOk={save}
      okText={t.common.save}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'rule-save' }}
      destroyOnHidden
      width={560}
    >
      <div data-testid="rule-form">
        {formError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={formError.message}
            data-testid="rule-error"
            data-code={formError.code ?? ''}
          />
        )}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="categoryCode"
            label={t.system.ruleCategory}
            rules={[{ required: true, message: t.system.required }]}
          >
            <CategorySelect testId="rule-category" leavesOnly={false} />
          </Form.Item>
          <Form.Item name="areaId" label={t.system.ruleArea}>
            <AreaSelect testId="rule-area" placeholder={t.system.ruleAreaAny} />
          </Form.Item>
          <Form.Item
            name="departmentId"
            label={t.system.ruleDepartment}
            rules={[{ required: true, message: t.system.required }]}
          >
            <DepartmentSelect testId="rule-department" />
          </Form.Item>
          <Form.Item
            name="deadlineHours"
            label={t.system.ruleDeadline}
            rules={[{ required: true, message: t.system.required }]}
          >
            <InputNumber min={0.5} step={0.5} style={{ width: 160 }} data-testid="rule-deadline" />
          </Form.Item>
          <Form.Item name="deadlineType" label={t.system.ruleDeadlineType}>
            <Select
              data-testid="rule-deadline-type"
              style={{ width: 160 }}
              options={Object.entries(t.system.deadlineTypes).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="priority" label={t.system.rulePriority}>
            <Select
              data-testid="rule-priority"
              style={{ width: 160 }}
              options={PRIORITIES.map((p) => ({ value: p, label: p }))}
            />
          </Form.Item>
          <Form.Item name="active" label={t.system.active} valuePropName="checked">
            <Switch data-testid="rule-active" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
