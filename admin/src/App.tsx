import { App as AntApp, ConfigProvider, Result, Button } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import LoginPage from './auth/LoginPage';
import { screenPath, screensFor, type Screen } from './auth/menu';
import { SessionProvider, useSession } from './auth/SessionContext';
import { t } from './i18n/zh-CN';
import { PageLoading } from './layout/PageLoading';
import { Shell } from './layout/Shell';

// Every screen is its own chunk: the login page loads with React and Ant Design only,
// and ECharts arrives with the dashboard.
const DeskPage = lazy(() => import('./desk/DeskPage'));
const CaseListPage = lazy(() => import('./cases/CaseListPage'));
const CaseDetailPage = lazy(() => import('./cases/CaseDetailPage'));
const MapPage = lazy(() => import('./map/MapPage'));
const StatsPage = lazy(() => import('./stats/StatsPage'));
const SystemPage = lazy(() => import('./system/SystemPage'));
const InboxPage = lazy(() => import('./inbox/InboxPage'));

function RequireUser({ children }: { children: React.ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <PageLoading />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function RequireScreen({ screen, children }: { screen: Screen; children: React.ReactNode }) {
  const { user } = useSession();
  if (!screensFor(user?.role).includes(screen)) {
    return (
      <div data-testid="no-access">
        <Result status="403" title={t.app.noAccess} />
      </div>
    );
  }
  return <>{children}</>;
}

function Home() {
  const { user } = useSession();
  return <Navigate to={screenPath(screensFor(user?.role)[0], user?.role)} replace />;
}

function FirstInbox() {
  const { user } = useSession();
  return <Navigate to={screenPath('inbox', user?.role)} replace />;
}

function NotFound() {
  return (
    <Result
      status="404"
      title={t.app.notFound}
      extra={
        <Link to="/">
          <Button type="primary">{t.app.backHome}</Button>
        </Link>
      }
    />
  );
}

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      theme={{ token: { colorPrimary: '#1677ff' } }}
      // Button labels keep their exact text ("立案", not "立 案"), so tests and screen readers find them.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename="/admin" future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
            <Suspense fallback={<PageLoading />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route
                  element={
                    <RequireUser>
                      <Shell />
                    </RequireUser>
                  }
                >
                  <Route index element={<Home />} />
                  <Route
                    path="desk"
                    element={
                      <RequireScreen screen="desk">
                        <DeskPage />
                      </RequireScreen>
                    }
                  />
                  <Route path="inbox" element={<FirstInbox />} />
                  <Route
                    path="inbox/:name"
                    element={
                      <RequireScreen screen="inbox">
                        <InboxPage />
                      </RequireScreen>
                    }
                  />
                  <Route
                    path="cases"
                    element={
                      <RequireScreen screen="cases">
                        <CaseListPage />
                      </RequireScreen>
                    }
                  />
                  <Route
                    path="cases/:id"
                    element={
                      <RequireScreen screen="cases">
                        <CaseDetailPage />
                      </RequireScreen>
                    }
                  />
                  <Route
                    path="map"
                    element={
                      <RequireScreen screen="map">
                        <MapPage />
                      </RequireScreen>
                    }
                  />
                  <Route
                    path="stats"
                    element={
                      <RequireScreen screen="stats">
                        <StatsPage />
                      </RequireScreen>
                    }
                  />
                  <Route
                    path="system"
                    element={
                      <RequireScreen screen="system">
                        <SystemPage />
                      </RequireScreen>
                    }
                  />
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </Suspense>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
