import { toStored } from '../geo/datum.js';
import type { PushFields } from '../wechatApi/pushMessage.js';
import { contactIdOf, type CustomerServiceChannel } from './contacts.js';
import type { InboundChat } from './engine.js';

/**
 * A pushed customer-service message in the engine's terms. Messages are
 * deduplicated by MsgId, events (which have none) by sender and CreateTime.
 * null: nothing for the conversation (an unfollow, a menu view, an event we do
 * not use).
 */
export function inboundFromPush(channel: CustomerServiceChannel, f: PushFields): InboundChat | null {
  const openid = f.FromUserName;
  const created = Number(f.CreateTime);
  if (!openid || !Number.isFinite(created)) return null;
  const at = new Date(created * 1000);
  const base = {
    contactId: contactIdOf(channel, openid),
    name: null,
    ...(channel === 'mp' ? { openid } : {}),
  };
  const message = (content: InboundChat['content'], extra?: Record<string, unknown>): InboundChat => ({
    ...base,
    messageId: `${channel}:${f.MsgId || `${openid}:${created}`}`,
    content,
    opens: { action: 'message', at },
    ...(extra ? { extra } : {}),
  });

  switch (f.MsgType) {
    case 'text':
      return message({ kind: 'text', text: f.Content ?? '' });
    case 'image':
      return f.MediaId
        ? message({ kind: 'image_ref', ref: f.MediaId })
        : message({ kind: 'unsupported', what: 'other' });
    case 'voice':
      // WeChat's own transcript, where the account has speech recognition on; else the recording, for an agent.
      if (f.Recognition?.trim())
        return message({ kind: 'text', text: f.Recognition.trim() }, { voice: true, mediaId: f.MediaId ?? null });
      return f.MediaId
        ? message({ kind: 'voice_ref', ref: f.MediaId }, { format: f.Format ?? null })
        : message({ kind: 'unsupported', what: 'voice' });
    case 'location': {
      // Location_X is the latitude, Location_Y the longitude, both GCJ-02; the service stores WGS-84.
      const lat = Number(f.Location_X);
      const lng = Number(f.Location_Y);
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) return message({ kind: 'unsupported', what: 'other' });
      const wgs = toStored({ lat, lng }, 'gcj02');
      return message({ kind: 'location', lat: wgs.lat, lng: wgs.lng, name: f.Label?.trim() || null, address: null });
    }
    case 'video':
    case 'shortvideo':
      return message({ kind: 'unsupported', what: 'video' });
    case 'link':
    case 'miniprogrampage':
      return message({ kind: 'unsupported', what: 'link' });
    case 'file':
      return message({ kind: 'unsupported', what: 'file' });
    case 'event':
      return eventFromPush(channel, f, base, at);
    default:
      return message({ kind: 'unsupported', what: 'other' });
  }
}

function eventFromPush(
  channel: CustomerServiceChannel,
  f: PushFields,
  base: Pick<InboundChat, 'contactId' | 'name' | 'openid'>,
  at: Date,
): InboundChat | null {
  const event = (f.Event ?? '').toLowerCase();
  const greet = (action: 'subscribe' | 'enter_session'): InboundChat => ({
    ...base,
    messageId: `${channel}:${f.FromUserName}:${f.CreateTime}:${event}`,
    content: { kind: 'followed' },
    opens: { action, at },
  });
  if (channel === 'oa' && event === 'subscribe') return greet('subscribe');
  if (channel === 'mp' && event === 'user_enter_tempsession') return greet('enter_session');
  return null;
}
