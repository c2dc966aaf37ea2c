import { Badge, Button, Layout, Menu, Space, Typography } from 'antd';
import {
  BarChartOutlined,
  CustomerServiceOutlined,
  InboxOutlined,
  EnvironmentOutlined,
  LogoutOutlined,
  ProfileOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { screensFor, type Screen } from '../auth/menu';
import { useSession } from '../auth/SessionContext';
import { t } from '../i18n/zh-CN';
import { PageLoading } from './PageLoading';
import { useInboxCounts } from '../inbox/useInboxCounts';

const icons: Record<Screen, React.ReactNode> = {
  desk: <CustomerServiceOutlined />,
  inbox: <InboxOutlined />,
  cases: <ProfileOutlined />,
  map: <EnvironmentOutlined />,
  stats: <BarChartOutlined />,
  system: <SettingOutlined />,
};

export function Shell() {
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = screensFor(user?.role);
  const [first, second] = location.pathname.split('/').slice(1);
  const current = first === 'inbox' && second ? `inbox/${second}` : first || screens[0];
  const inboxes = useInboxCounts(screens.includes('inbox'));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="dark" width={200}>
        <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '18px 24px' }}>{t.app.shortTitle}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[current]}
          data-testid="main-menu"
          onClick={({ key }) => navigate(`/${key}`)}
          defaultOpenKeys={['inbox']}
          items={screens.map((s) =>
            s === 'inbox'
              ? {
                  key: s,
                  icon: icons[s],
                  label: <span data-testid="menu-inbox">{t.menu.inbox}</span>,
                  children: inboxes.map((i) => ({
                    key: `inbox/${i.name}`,
                    label: (
                      <span data-testid={`menu-inbox-${i.name}`}>
                        {i.label}{' '}
                        <Badge
                          count={i.count}
                          showZero
                          size="small"
                          color={i.count ? undefined : '#555'}
                          data-testid={`inbox-count-${i.name}`}
                        />
                      </span>
                    ),
                  })),
                }
              : { key: s, icon: icons[s], label: <span data-testid={`menu-${s}`}>{t.menu[s]}</span> },
          )}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
          }}
        >
          <Space>
            <Typography.Text data-testid="current-user">
              {user?.displayName}（{t.roles[user?.role ?? ''] ?? user?.role}）
            </Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={() => logout()} data-testid="logout">
              {t.app.logout}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
