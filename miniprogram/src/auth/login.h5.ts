import Taro from '@tarojs/taro';
import { http } from '../api/http';
import type { Session } from '../api/types';

const OPENID_KEY = 'dev-openid';

/**
 * Outside WeChat there is no wx.login: the server's development login stands in.
 * The made-up openid is kept so a reload stays the same citizen and keeps its reports.
 */
export async function login(): Promise<Session> {
  let openid = Taro.getStorageSync(OPENID_KEY) as string;
  if (!openid) {
    openid = `h5-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    Taro.setStorageSync(OPENID_KEY, openid);
  }
  return http<Session>('POST', '/api/citizen/dev-login', { data: { openid } });
}
