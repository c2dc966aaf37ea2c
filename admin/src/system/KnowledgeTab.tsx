import { Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { createKnowledge, listKnowledge, updateKnowledge, type KnowledgeAnswer } from '../api/knowledge';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { useRemote } from '../shared/useRemote';
import { validValues } from '../shared/validValues';
import { useAct } from './useAct';

type Values = { question: string; answer: string; keywords: string[] };

/** The 咨询 knowledge base the agents search from the intake form. */
export function KnowledgeTab() {
  const remote = useRemote(async (signal) => (await listKnowledge(signal)).items, []);
  const act = useAct(remote.reload);
  const [editing, setEditing] = useState<KnowledgeAnswer | 'new' | null>(null);
  const [form] = Form.useForm<Values>();

  const save = async () => {
    const values = await validValues(form);
    if (!values) return;
    await act(() =>
      editing === 'new' ? createKnowledge(values) : updateKnowledge((editing as KnowledgeAnswer).id, values),
    );
    setEditing(null);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        data-testid="knowledge-new"
        onClick={() => {
          form.resetFields();
          setEditing('new');
        }}
      >
        {t.system.newKnowledge}
      </Button>
      {remote.error && <ErrorAlert error={remote.error} onRetry={remote.reload} />}
      <Table<KnowledgeAnswer>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        columns={[
          { title: t.system.question, dataIndex: 'question', width: 220 },
          { title: t.complaint.answer, dataIndex: 'answer', ellipsis: true },
          { title: t.system.keywords, render: (_, a) => a.keywords.map((k) => <Tag key={k}>{k}</Tag>) },
          {
            title: t.system.operations,
            width: 160,
            render: (_, a) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => {
                    form.setFieldsValue({ question: a.question, answer: a.answer, keywords: a.keywords });
                    setEditing(a);
                  }}
                >
                  {t.system.edit}
                </Button>
                <Button size="small" onClick={() => act(() => updateKnowledge(a.id, { active: !a.active }))}>
                  {a.active ? t.system.disable : t.system.enable}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t.system.knowledge}
        onCancel={() => setEditing(null)}
        onOk={save}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="question" label={t.system.question} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="answer" label={t.complaint.answer} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="keywords" label={t.system.keywords} initialValue={[]}>
            <Select mode="tags" open={false} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
