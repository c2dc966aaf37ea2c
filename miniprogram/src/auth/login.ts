import Taro from '@tarojs/taro';
import { http } from '../api/http';
import type { Session } from '../api/types';

/** WeChat: the one-off code from wx.login is traded by the server for the citizen's openid. */
export async function login(): Promise<Session> {
  const { code } = await Taro.login();
  return http<Session>('POST', '/api/citizen/login', { data: { code } });
}
