import { Card, Tabs, Typography } from 'antd';
import { t } from '../i18n/zh-CN';
import { CategoriesTab } from './CategoriesTab';
import { DepartmentsTab } from './DepartmentsTab';
import { RoutingRulesTab } from './RoutingRulesTab';
import { StaffTab } from './StaffTab';
import { KnowledgeTab } from './KnowledgeTab';

export default function SystemPage() {
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.system.title}
      </Typography.Title>
      <Tabs
        defaultActiveKey="rules"
        items={[
          {
            key: 'rules',
            label: <span data-testid="system-tab-rules">{t.system.rules}</span>,
            children: <RoutingRulesTab />,
          },
          {
            key: 'departments',
            label: <span data-testid="system-tab-departments">{t.system.departments}</span>,
            children: <DepartmentsTab />,
          },
          {
            key: 'categories',
            label: <span data-testid="system-tab-categories">{t.system.categories}</span>,
            children: <CategoriesTab />,
          },
          { key: 'staff', label: <span data-testid="system-tab-staff">{t.system.staff}</span>, children: <StaffTab /> },
          {
            key: 'knowledge',
            label: <span data-testid="system-tab-knowledge">{t.system.knowledge}</span>,
            children: <KnowledgeTab />,
          },
        ]}
      />
    </Card>
  );
}
