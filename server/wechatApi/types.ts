/** What the rest of the service sees of WeChat's server API. `WechatApi` implements it. */
export interface WechatGateway {
  code2Session(jsCode: string): Promise<WechatSession>;
  getPhoneNumber(code: string): Promise<WechatPhone>;
  msgSecCheck(input: TextCheckInput): Promise<ContentVerdict>;
  mediaCheckAsync(input: MediaCheckInput): Promise<{ traceId: string }>;
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>;
  /** Customer-service (客服) text, official account or mini-program alike. */
  sendCustomText(touser: string, content: string): Promise<void>;
  getMedia(mediaId: string): Promise<{ data: Buffer; contentType: string }>;
}

export interface WechatSession {
  openid: string;
  unionid?: string;
  /** Secret: decrypts the user's data. Never sent to the client, never logged (toJSON leaves it out). */
  sessionKey: string;
}

export interface WechatPhone {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export type Suggest = 'pass' | 'review' | 'risky';

/** 1 资料, 2 评论, 3 论坛, 4 社交日志. */
export type SecScene = 1 | 2 | 3 | 4;

export interface TextCheckInput {
  openid: string;
  content: string;
  scene: SecScene;
}

/**
 * `risky` does not pass; `review` passes but is flagged for a person to look at.
 * `label` is WeChat's: 100 normal, 10001 advertising, 20001 politics, 20002 porn,
 * 20003 abuse, 20006 illegal, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other.
 */
export interface ContentVerdict {
  pass: boolean;
  suggest: Suggest;
  label?: number;
  traceId?: string;
}

export interface MediaCheckInput {
  openid: string;
  mediaUrl: string;
  mediaType: 'image' | 'audio';
  scene?: SecScene;
}

/** The verdict WeChat pushes later as the `wxa_media_check` event. */
export interface MediaCheckVerdict extends ContentVerdict {
  traceId: string;
  /** Set when WeChat could not check the media at all; such media does not pass. */
  errcode?: number;
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  /** Keyword → value; sent as `{keyword: {value}}`. */
  data: Record<string, string>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
}
