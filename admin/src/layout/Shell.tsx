import { Button, Layout, Menu, Space, Typography } from 'antd';
import {
  BarChartOutlined,
  CustomerServiceOutlined,
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

const icons: Record<Screen, React.ReactNode> = {
  desk: <CustomerServiceOutlined />,
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
  const current = location.pathname.split('/')[1] || screens[0];

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
          items={screens.map((s) => ({
            key: s,
            icon: icons[s],
            label: <span data-testid={`menu-${s}`}>{t.menu[s]}</span>,
          }))}
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
