/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** Set in config/index.ts: '' in h5 (same origin), the server's HTTPS origin in weapp. */
declare const API_BASE: string;
/** 订阅消息 template ids asked for after a report; empty means the consent card is not shown. */
declare const SUBSCRIBE_TEMPLATE_IDS: string[];

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5';
  }
}
