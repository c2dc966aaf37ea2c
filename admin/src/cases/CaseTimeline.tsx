import { Image, Space, Timeline, Typography } from 'antd';
import type { CaseEvent } from '../api/types';
import { t } from '../i18n/zh-CN';
import { formatTime } from '../shared/format';

export function CaseTimeline({ events }: { events: CaseEvent[] }) {
  return (
    <Timeline
      data-testid="case-timeline"
      items={events.map((e) => ({
        key: String(e.id),
        children: (
          <div data-testid="timeline-event" data-action={e.action}>
            <Space wrap>
              <Typography.Text strong>{e.actionLabel || (t.actions[e.action] ?? e.action)}</Typography.Text>
              {e.fromState && e.toState && e.fromState !== e.toState && (
                <Typography.Text type="secondary">
                  {e.fromState} → {e.toState}
                </Typography.Text>
              )}
              <Typography.Text type="secondary">{formatTime(e.createdAt)}</Typography.Text>
            </Space>
            {e.actor?.name && <div>{t.caseDetail.actor(e.actor.name)}</div>}
            {e.note && <Typography.Paragraph style={{ marginBottom: 4 }}>{e.note}</Typography.Paragraph>}
            {e.attachments?.length > 0 && (
              <Image.PreviewGroup>
                <Space wrap>
                  {e.attachments.map((p) => (
                    <Image
                      key={p.id}
                      width={72}
                      height={72}
                      style={{ objectFit: 'cover' }}
                      src={p.thumbUrl}
                      preview={{ src: p.url }}
                    />
                  ))}
                </Space>
              </Image.PreviewGroup>
            )}
          </div>
        ),
      }))}
    />
  );
}
