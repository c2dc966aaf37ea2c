import { App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { departments } from '../api/catalog';
import { createDepartment, testDelivery, updateDepartment, type DepartmentInput } from '../api/departments';
import { itemsOf } from '../api/lists';
import type { Department } from '../api/types';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useRemote } from '../shared/useRemote';
import { validValues } from '../shared/validValues';
import { placeApiError } from './apiFormError';
import { ShownOnce } from './ShownOnce';
import { useAct } from './useAct';

const FIELDS = ['code', 'name', 'delivery', 'webhookUrl', 'agency'];

/** Departments: made, edited and deactivated here; a webhook one's secret is shown once. */
export function DepartmentsTab() {
  const { message } = App.useApp();
  const remote = useRemote(async () => itemsOf(await departments()), []);
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [secret, setSecret] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<DepartmentInput>();
  const delivery = Form.useWatch('delivery', form);

  const save = async () => {
    const values = await validValues(form);
    if (!values) return;
    setBusy(true);
    try {
      const body = { ...values, webhookUrl: values.delivery === 'webhook' ? values.webhookUrl : null };
      const saved =
        editing === 'new'
          ? await createDepartment(body)
          : await updateDepartment((editing as Department).id, { ...body, code: undefined });
      setSecret(saved.webhookSecret);
      setEditing(null);
      remote.reload();
    } catch (err) {
      const placed = placeApiError(err, FIELDS);
      if (placed.field) form.setFields([{ name: placed.field as keyof DepartmentInput, errors: [placed.message] }]);
      else message.error(placed.message);
    } finally {
      setBusy(false);
    }
  };

  const act = useAct(remote.reload);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        data-testid="department-new"
        onClick={() => {
          form.resetFields();
          form.setFieldsValue({ delivery: 'internal' });
          setEditing('new');
        }}
      >
        {t.system.newDepartment}
      </Button>
      <ShownOnce
        text={secret ? t.system.secretShownOnce(secret) : null}
        onClose={() => setSecret(undefined)}
        testId="department-secret"
      />
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<Department>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        pagination={false}
        onRow={(d) =>
          ({ 'data-testid': 'department-row', 'data-department-id': d.id }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: 'ID', dataIndex: 'id', width: 60 },
          { title: t.system.deptCode, dataIndex: 'code' },
          { title: t.system.deptName, dataIndex: 'name' },
          {
            title: t.system.delivery,
            render: (_, d) => t.system.deliveryLabels[d.delivery ?? ''] ?? d.delivery ?? t.common.none,
          },
          { title: t.system.agency, render: (_, d) => d.agency ?? t.common.none },
          {
            title: t.system.active,
            render: (_, d) => (d.active === false ? <Tag>{t.common.no}</Tag> : <Tag color="green">{t.common.yes}</Tag>),
          },
          {
            title: t.system.operations,
            render: (_, d) => (
              <Space>
                <Button
                  size="small"
                  data-testid="department-edit"
                  onClick={() => {
                    form.resetFields();
                    form.setFieldsValue({
                      name: d.name,
                      delivery: (d.delivery as DepartmentInput['delivery']) ?? 'internal',
                      webhookUrl: d.webhookUrl ?? undefined,
                      agency: d.agency ?? undefined,
                    });
                    setEditing(d);
                  }}
                >
                  {t.system.edit}
                </Button>
                <Button
                  size="small"
                  data-testid="department-toggle"
                  onClick={() => act(() => updateDepartment(d.id, { active: d.active === false }))}
                >
                  {d.active === false ? t.system.enable : t.system.disable}
                </Button>
                {d.delivery === 'webhook' && (
                  <Button
                    size="small"
                    data-testid="department-test"
                    onClick={() =>
                      act(async () => {
                        const r = await testDelivery(d.id);
                        if (r.ok) message.success(r.message);
                        else message.error(r.message);
                      })
                    }
                  >
                    {t.system.testDelivery}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t.system.newDepartment : t.system.editDepartment}
        onCancel={() => setEditing(null)}
        onOk={save}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'department-save' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {editing === 'new' && (
            <Form.Item name="code" label={t.system.deptCode} rules={[{ required: true, whitespace: true }]}>
              <Input data-testid="department-code" />
            </Form.Item>
          )}
          <Form.Item name="name" label={t.system.deptName} rules={[{ required: true, whitespace: true }]}>
            <Input data-testid="department-name" />
          </Form.Item>
          <Form.Item name="delivery" label={t.system.delivery}>
            <Select
              data-testid="department-delivery"
              options={['internal', 'webhook'].map((v) => ({ value: v, label: t.system.deliveryLabels[v] }))}
            />
          </Form.Item>
          {delivery === 'webhook' && (
            <Form.Item name="webhookUrl" label={t.system.webhookUrl} rules={[{ required: true, type: 'url' }]}>
              <Input data-testid="department-webhook-url" placeholder="https://" />
            </Form.Item>
          )}
          <Form.Item name="agency" label={t.system.agency}>
            <Input data-testid="department-agency" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
