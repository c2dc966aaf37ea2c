import { App, Button, Card, Descriptions, Empty, Image, List, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { getCase, splitReport } from '../api/cases';
import { ApiError } from '../api/client';
import { t } from '../i18n/zh-CN';
import { ErrorAlert } from '../shared/ErrorAlert';
import { areaLabel, formatTime, pick } from '../shared/format';
import { useNow } from '../shared/useNow';
import { useRemote } from '../shared/useRemote';
import { CaseActions } from './CaseActions';
import { CaseTimeline } from './CaseTimeline';
import { CitizenHistory } from './CitizenHistory';
import { DeadlineCountdown } from './DeadlineCountdown';
import { stateColour } from './stateColour';
import { TransitionDialog } from './TransitionDialog';

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const now = useNow();
  const remote = useRemote((signal) => getCase(id, signal), [id]);
  const [action, setAction] = useState<string | null>(null);

  if (remote.error && !remote.data) {
    const missing = remote.error instanceof ApiError && (remote.error.status === 404 || remote.error.status === 403);
    return missing ? (
      <Result status="404" title={t.caseDetail.notFound} extra={<Link to="/cases">{t.caseDetail.back}</Link>} />
    ) : (
      <ErrorAlert error={remote.error} onRetry={remote.reload} />
    );
  }
  if (!remote.data) return <Spin style={{ display: 'block', padding: 80 }} />;

  const { case: c, events, calls, messages, reports, reporter, allowedActions, actionLabels } = remote.data;
  const canSplit = allowedActions.includes('split');

  const split = async (reportId: string) => {
    try {
      await splitReport(c.id, reportId);
      message.success(t.caseDetail.splitDone);
      remote.reload();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space
      direction="vertical"
      size="middle"
      style={{ width: '100%' }}
      data-testid="case-detail"
      data-case-no={c.caseNo}
    >
      <Space>
        <Link to="/cases" data-testid="case-back">
          <ArrowLeftOutlined /> {t.caseDetail.back}
        </Link>
      </Space>
      <Card
        title={
          <Space wrap>
            <span data-testid="case-no">{c.caseNo}</span>
            <Tag color={stateColour[c.state]} data-testid="case-state" data-state={c.state}>
              {c.state}
            </Tag>
            <DeadlineCountdown
              deadlineAt={c.deadlineAt}
              deadlineStatus={c.deadlineStatus}
              closedAt={c.closedAt}
              now={now}
            />
            {c.needsReview && <Tag color="orange">{t.cases.needsReview}</Tag>}
            {c.pendingExtension && (
              <Tag color="purple" data-testid="extension-pending">
                {t.caseDetail.extensionPending(c.pendingExtension.hours)}
              </Tag>
            )}
          </Space>
        }
        extra={
          <Button icon={<ReloadOutlined />} onClick={remote.reload} loading={remote.loading} data-testid="case-reload">
            {t.common.reload}
          </Button>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <div>
            <Typography.Text type="secondary">{t.caseDetail.actions}：</Typography.Text>
            <CaseActions actions={allowedActions} labels={actionLabels} onAction={setAction} />
          </div>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
            <Descriptions.Item label={t.cases.caseTitle} span={3}>
              {c.title}
            </Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.description} span={3}>
              <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }} data-testid="case-description">
                {c.description}
              </Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t.cases.category}>
              {[c.major?.name, c.category?.name].filter(Boolean).join(' / ') || t.common.none}
            </Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.kind}>{c.kind ?? t.common.none}</Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.priority}>{c.priority}</Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.reworkCount}>
              <span data-testid="case-rework-count">{c.reworkCount}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.urgeCount}>
              <span data-testid="case-urge-count">{c.urgeCount ?? 0}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.address}>{c.address ?? t.common.none}</Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.area}>{areaLabel(c.area)}</Descriptions.Item>
            <Descriptions.Item label={t.cases.department}>
              <span data-testid="case-department">{c.department?.name ?? t.common.none}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t.cases.channel}>{t.channels[c.channel] ?? c.channel}</Descriptions.Item>
            <Descriptions.Item label={t.cases.createdAt}>{formatTime(c.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t.cases.deadline}>{formatTime(c.deadlineAt)}</Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.reporter}>
              {reporter ? [reporter.name, reporter.phoneMasked].filter(Boolean).join(' ') : t.common.none}
            </Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.surveyResult}>{c.surveyResult ?? t.common.none}</Descriptions.Item>
            <Descriptions.Item label={t.caseDetail.transferAgency}>
              {c.transferAgency ?? t.common.none}
            </Descriptions.Item>
          </Descriptions>
        </Space>
      </Card>

      <Card title={t.caseDetail.photos} data-testid="case-photos">
        {c.photos?.length ? (
          <Image.PreviewGroup>
            <Space wrap>
              {c.photos.map((p) => (
                <Image
                  key={p.id}
                  width={120}
                  height={120}
                  style={{ objectFit: 'cover' }}
                  src={p.thumbUrl}
                  preview={{ src: p.url }}
                  data-testid="case-photo"
                />
              ))}
            </Space>
          </Image.PreviewGroup>
        ) : (
          <Typography.Text type="secondary">{t.caseDetail.noPhotos}</Typography.Text>
        )}
      </Card>

      <Card>
        <Tabs
          items={[
            {
              key: 'timeline',
              label: <span data-testid="tab-timeline">{t.caseDetail.timeline}</span>,
              children: <CaseTimeline events={events} />,
            },
            {
              key: 'calls',
              label: <span data-testid="tab-calls">{`${t.caseDetail.calls} (${calls.length})`}</span>,
              children: (
                <List
                  data-testid="case-calls"
                  dataSource={calls}
                  locale={{ emptyText: t.caseDetail.noCalls }}
                  renderItem={(call) => (
                    <List.Item data-testid="case-call">
                      <Space wrap>
                        <Tag>{t.caseDetail.callDirection[call.direction] ?? call.direction}</Tag>
                        <span>{call.callerMasked ?? t.common.none}</span>
                        <Typography.Text type="secondary">
                          {formatTime(call.startedAt)} – {formatTime(call.endedAt)}
                        </Typography.Text>
                        {call.recordingUrl ? (
                          <Space>
                            <a href={call.recordingUrl} target="_blank" rel="noreferrer" data-testid="call-recording">
                              {t.caseDetail.recording}
                            </a>
                            <audio controls preload="none" src={call.recordingUrl} style={{ height: 32 }} />
                          </Space>
                        ) : (
                          <Typography.Text type="secondary">{t.caseDetail.noRecording}</Typography.Text>
                        )}
                      </Space>
                    </List.Item>
                  )}
                />
              ),
            },
            {
              key: 'messages',
              label: <span data-testid="tab-messages">{`${t.caseDetail.messages} (${messages.length})`}</span>,
              children: messages.length ? (
                <List
                  data-testid="case-messages"
                  dataSource={messages}
                  renderItem={(m) => (
                    <List.Item data-testid="case-message">
                      <Space direction="vertical" size={0}>
                        <Typography.Text type="secondary">
                          {pick(m, 'direction', 'from', 'sender') ?? ''} · {formatTime(pick(m, 'at', 'createdAt'))}
                        </Typography.Text>
                        <span>{pick(m, 'text', 'content', 'body') ?? ''}</span>
                      </Space>
                    </List.Item>
                  )}
                />
              ) : (
                <Empty description={t.caseDetail.noMessages} />
              ),
            },
            {
              key: 'reports',
              label: <span data-testid="tab-reports">{`${t.caseDetail.reports} (${reports.length})`}</span>,
              children: (
                <List
                  data-testid="case-reports"
                  dataSource={reports}
                  locale={{ emptyText: t.caseDetail.noReports }}
                  renderItem={(r) => (
                    <List.Item
                      data-testid="case-report"
                      actions={
                        canSplit && r.disposition === 'duplicate'
                          ? [
                              <Button key="split" size="small" onClick={() => split(r.id)} data-testid="report-split">
                                {t.caseDetail.split}
                              </Button>,
                            ]
                          : []
                      }
                    >
                      <Space direction="vertical" size={0}>
                        <Space wrap>
                          <Tag>{t.channels[r.channel] ?? r.channel}</Tag>
                          {r.disposition && <Tag>{t.caseDetail.disposition[r.disposition] ?? r.disposition}</Tag>}
                          <Typography.Text type="secondary">{formatTime(r.createdAt)}</Typography.Text>
                        </Space>
                        <span>{r.text}</span>
                      </Space>
                    </List.Item>
                  )}
                />
              ),
            },
            {
              key: 'history',
              label: <span data-testid="tab-history">{t.caseDetail.history}</span>,
              children: <CitizenHistory citizenId={reporter?.id} />,
            },
          ]}
        />
      </Card>

      <TransitionDialog
        labels={actionLabels}
        action={action}
        target={{
          id: c.id,
          version: c.version,
          surveyResult: c.surveyResult ?? null,
          transferAgency: c.transferAgency ?? null,
        }}
        onClose={() => setAction(null)}
        onDone={(label) => {
          message.success(t.transition.done(label));
          setAction(null);
          remote.reload();
        }}
        onReload={() => {
          setAction(null);
          remote.reload();
        }}
      />
    </Space>
  );
}
