import Taro from '@tarojs/taro';
import { ApiError, NetworkError } from '../api/http';
import type { Session } from '../api/types';
import { zh } from '../i18n/zh-CN';
import { login } from './login';

const SESSION_KEY = 'citizen-session';
// Renew a little early so a request never leaves with a token that expires on the way.
const MARGIN_MS = 60_000;

let pending: Promise<string> | null = null;

function stored(): Session | null {
  const s = Taro.getStorageSync(SESSION_KEY) as Session | '';
  if (!s || !s.token) return null;
  if (s.expiresAt && Date.parse(s.expiresAt) - MARGIN_MS < Date.now()) return null;
  return s;
}

export function dropSession() {
  Taro.removeStorageSync(SESSION_KEY);
}

function loginError(e: unknown): Error {
  if (e instanceof NetworkError) return e;
  // 404 on the h5 build means the server has development login switched off.
  if (e instanceof ApiError && e.status === 404 && process.env.TARO_ENV === 'h5') {
    return new ApiError(404, 'dev_login_off', zh.common.devLoginOff);
  }
  if (e instanceof ApiError) return new ApiError(e.status, e.code, e.message || zh.common.loginFailed);
  return new ApiError(0, 'login_failed', zh.common.loginFailed);
}

/** The citizen's bearer token, logging in (once, however many callers wait) when there is none. */
export function ensureToken(): Promise<string> {
  const s = stored();
  if (s) return Promise.resolve(s.token);
  if (!pending) {
    pending = login()
      .then((session) => {
        Taro.setStorageSync(SESSION_KEY, session);
        return session.token;
      })
      .catch((e) => {
        throw loginError(e);
      })
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}
