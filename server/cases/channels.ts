/** Where a report came in: the hotline, the mini-program, the WeChat chat, an agent's form, or a partner over Open311. */
export const reportChannels = ['hotline', 'miniprogram', 'wechat', 'agent', 'open311'] as const;
export type ReportChannel = (typeof reportChannels)[number];
