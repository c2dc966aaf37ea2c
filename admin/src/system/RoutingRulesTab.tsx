import { App, Button, Popconfirm, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { itemsOf } from '../api/lists';
import { deleteRule, listRules } from '../api/routingRules';
import type { RoutingRule } from '../api/types';
import { useAllAreas, useCategories, useDepartments } from '../catalog/catalogCache';
import { categoryName } from '../catalog/categoryTree';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useRemote } from '../shared/useRemote';
import { RoutingRuleForm } from './RoutingRuleForm';

export function RoutingRulesTab() {
  const { message } = App.useApp();
  const remote = useRemote(async () => itemsOf(await listRules()), []);
  const categories = useCategories();
  const departments = useDepartments();
  const areas = useAllAreas();
  const [editing, setEditing] = useState<RoutingRule | null>(null);
  const [open, setOpen] = useState(false);

  const remove = async (rule: RoutingRule) => {
    try {
      await deleteRule(rule.id);
      message.success(t.system.ruleDeleted);
      remote.reload();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => {
          setEditing(null);
          setOpen(true);
        }}
        data-testid="rule-new"
      >
        {t.system.newRule}
      </Button>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<RoutingRule>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        onRow={(r) => ({ 'data-testid': 'rule-row', 'data-rule-id': r.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 60 },
          {
            title: t.system.ruleCategory,
            render: (_, r) => `${categoryName(categories, r.categoryCode) ?? ''}（${r.categoryCode}）`,
          },
          {
            title: t.system.ruleArea,
            render: (_, r) =>
              r.areaId === null
                ? t.system.ruleAreaAny
                : (areas.find((c) => c.properties.id === r.areaId)?.properties.name ?? r.areaId),
          },
          {
            title: t.system.ruleDepartment,
            render: (_, r) => departments.find((d) => d.id === r.departmentId)?.name ?? r.departmentId,
          },
          { title: t.system.ruleDeadline, dataIndex: 'deadlineHours' },
          {
            title: t.system.ruleDeadlineType,
            render: (_, r) => t.system.deadlineTypes[r.deadlineType] ?? r.deadlineType,
          },
          { title: t.system.rulePriority, dataIndex: 'priority' },
          {
            title: t.system.active,
            render: (_, r) => (r.active ? <Tag color="green">{t.common.yes}</Tag> : <Tag>{t.common.no}</Tag>),
          },
          {
            title: '',
            width: 140,
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(r);
                    setOpen(true);
                  }}
                  data-testid="rule-edit"
                >
                  {t.common.edit}
                </Button>
                <Popconfirm
                  title={t.common.deleteConfirm}
                  onConfirm={() => remove(r)}
                  okText={t.common.delete}
                  cancelText={t.common.cancel}
                  okButtonProps={{ danger: true, 'data-testid': 'rule-delete-confirm' }}
                >
                  <Button size="small" danger data-testid="rule-delete">
                    {t.common.delete}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <RoutingRuleForm
        rule={editing}
        open={open}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          message.success(t.system.ruleSaved);
          remote.reload();
        }}
      />
    </Space>
  );
}
