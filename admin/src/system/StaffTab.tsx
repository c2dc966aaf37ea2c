import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { itemsOf } from '../api/lists';
import { createStaff, listStaff, resetStaffPassword, updateStaff, type NewStaff } from '../api/staff';
import { ROLES, type StaffUser } from '../api/types';
import { useDepartments } from '../catalog/catalogCache';
import { DepartmentSelect } from '../catalog/Selects';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { formatTime } from '../shared/format';
import { useRemote } from '../shared/useRemote';
import { placeApiError } from './apiFormError';
import { ShownOnce } from './ShownOnce';
import { useAct } from './useAct';
import { validValues } from '../shared/validValues';

const FIELDS = ['username', 'displayName', 'role', 'departmentId', 'extension', 'password'];

export function StaffTab() {
  const { message } = App.useApp();
  const remote = useRemote(async () => itemsOf(await listStaff()), []);
  const departments = useDepartments();
  const departmentName = (id: number | null) =>
    id === null ? t.common.none : (departments.find((d) => d.id === id)?.name ?? String(id));
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string>();
  const [issuedPassword, setIssuedPassword] = useState<string>();
  const [form] = Form.useForm<NewStaff>();

  const act = useAct(remote.reload);

  const save = async () => {
    const values = await validValues(form);
    if (!values) return;
    setBusy(true);
    setFormError(undefined);
    try {
      const created = await createStaff({ ...values, password: values.password || undefined });
      // A server that generates the password returns it once; it is shown once and not kept.
      setIssuedPassword(created.password);
      message.success(t.system.staffSaved);
      setOpen(false);
      remote.reload();
    } catch (err) {
      const placed = placeApiError(err, FIELDS);
      if (placed.field) form.setFields([{ name: placed.field as keyof NewStaff, errors: [placed.message] }]);
      else setFormError(placed.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        data-testid="staff-new"
        onClick={() => {
          form.resetFields();
          setFormError(undefined);
          setOpen(true);
        }}
      >
        {t.system.newStaff}
      </Button>
      <ShownOnce
        text={issuedPassword ? t.system.passwordShownOnce(issuedPassword) : null}
        onClose={() => setIssuedPassword(undefined)}
        testId="staff-password"
      />
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<StaffUser>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        onRow={(u) =>
          ({ 'data-testid': 'staff-row', 'data-username': u.username }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t.system.username, dataIndex: 'username' },
          { title: t.system.displayName, dataIndex: 'displayName' },
          { title: t.system.role, render: (_, u) => t.roles[u.role] ?? u.role },
          { title: t.system.staffDepartment, render: (_, u) => departmentName(u.departmentId) },
          { title: t.system.extension, render: (_, u) => u.extension ?? t.common.none },
          { title: t.system.lastLogin, render: (_, u) => formatTime(u.lastLoginAt) },
          {
            title: t.system.active,
            render: (_, u) => (u.active === false ? <Tag>{t.common.no}</Tag> : <Tag color="green">{t.common.yes}</Tag>),
          },
          {
            title: t.system.operations,
            render: (_, u) => (
              <Space>
                <Button
                  size="small"
                  data-testid="staff-toggle"
                  onClick={() => act(() => updateStaff(u.id, { active: u.active === false }))}
                >
                  {u.active === false ? t.system.enable : t.system.disable}
                </Button>
                <Button
                  size="small"
                  data-testid="staff-reset-password"
                  onClick={() => act(async () => setIssuedPassword((await resetStaffPassword(u.id)).password))}
                >
                  {t.system.resetPassword}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t.system.newStaff}
        onCancel={() => setOpen(false)}
        onOk={save}
        okText={t.common.save}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'staff-save' }}
        destroyOnHidden
      >
        <div data-testid="staff-form">
          {formError && (
            <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} data-testid="staff-error" />
          )}
          <Form form={form} layout="vertical" preserve={false} initialValues={{ role: 'agent' }}>
            <Form.Item
              name="username"
              label={t.system.username}
              rules={[{ required: true, message: t.system.required }]}
            >
              <Input data-testid="staff-username" autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="displayName"
              label={t.system.displayName}
              rules={[{ required: true, message: t.system.required }]}
            >
              <Input data-testid="staff-display-name" />
            </Form.Item>
            <Form.Item name="role" label={t.system.role} rules={[{ required: true, message: t.system.required }]}>
              <Select data-testid="staff-role" options={ROLES.map((r) => ({ value: r, label: t.roles[r] }))} />
            </Form.Item>
            <Form.Item name="departmentId" label={t.system.staffDepartment}>
              <DepartmentSelect testId="staff-department" />
            </Form.Item>
            <Form.Item name="extension" label={t.system.extension}>
              <Input data-testid="staff-extension" />
            </Form.Item>
            <Form.Item name="password" label={t.system.password}>
              <Input.Password data-testid="staff-password-input" autoComplete="new-password" />
            </Form.Item>
          </Form>
        </div>
      </Modal>
    </Space>
  );
}
