import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import * as auth from '../api/auth';
import { setUnauthenticatedHandler } from '../api/client';
import type { StaffUser } from '../api/types';
import { resetCatalog } from '../catalog/catalogCache';

interface Session {
  /** undefined while the saved session is being checked; null when signed out. */
  user: StaffUser | null | undefined;
  login: (username: string, password: string) => Promise<StaffUser>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    auth
      .me()
      .then((r) => live && setUser(r.user))
      .catch(() => live && setUser(null));
    setUnauthenticatedHandler(() => setUser(null));
    return () => {
      live = false;
      setUnauthenticatedHandler(null);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const r = await auth.login(username, password);
    resetCatalog();
    setUser(r.user);
    return r.user;
  }, []);

  const logout = useCallback(async () => {
    await auth.logout().catch(() => undefined);
    resetCatalog();
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, login, logout }), [user, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
