import { useDidShow, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { citizenApi } from '../../api/citizen';
import { ApiError } from '../../api/http';
import type { ReportDetail } from '../../api/types';
import { Banner } from '../../components/Banner';
import { PhotoStrip } from '../../components/PhotoStrip';
import { StateTag } from '../../components/StateTag';
import { Timeline } from '../../components/Timeline';
import { formatTime } from '../../format/time';
import { zh } from '../../i18n/zh-CN';
import { askConsent, canAskConsent } from '../../subscribe/consent';
import { Survey } from './Survey';
import './index.css';

type Loaded = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; report: ReportDetail };

export default function Detail() {
  const { params } = useRouter();
  const caseNo = decodeURIComponent(params.caseNo ?? '');
  const submitted = params.submitted === '1';
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [consent, setConsent] = useState<'ask' | 'done' | 'hidden'>(submitted && canAskConsent() ? 'ask' : 'hidden');

  const load = () =>
    citizenApi
      .report(caseNo)
      .then((report) => setLoaded({ status: 'ready', report }))
      .catch((e) =>
        setLoaded({ status: 'failed', message: (e instanceof ApiError && e.message) || zh.detail.loadFailed }),
      );

  useDidShow(() => {
    load();
  });

  const subscribe = () =>
    askConsent()
      .then((ok) => setConsent(ok ? 'done' : 'hidden'))
      .catch(() => setConsent('hidden'));

  return (
    <View className="page detail" id="page-detail">
      {submitted && (
        <Banner
          id="submitted-banner"
          tone="success"
          text={`${zh.detail.submittedTitle}：${zh.detail.submittedBody(caseNo)}`}
        />
      )}
      {submitted && params.duplicate === '1' && (
        <Banner id="duplicate-banner" tone="info" text={zh.detail.duplicateNote} />
      )}
      {consent === 'ask' && (
        <View className="card" id="subscribe-card">
          <View className="card-title">{zh.detail.subscribeTitle}</View>
          <View className="hint">{zh.detail.subscribeBody}</View>
          <Button id="subscribe-button" className="btn btn-secondary btn-block subscribe-button" onClick={subscribe}>
            {zh.detail.subscribeButton}
          </Button>
        </View>
      )}
      {consent === 'done' && <Banner id="subscribe-done" tone="info" text={zh.detail.subscribeDone} />}

      {loaded.status === 'loading' && <View className="empty">{zh.common.loading}</View>}
      {loaded.status === 'failed' && (
        <View className="empty" id="detail-error">
          <View>{loaded.message}</View>
          <Button className="btn btn-secondary btn-small" onClick={load}>
            {zh.common.retry}
          </Button>
        </View>
      )}
      {loaded.status === 'ready' && <Body report={loaded.report} reload={load} />}
    </View>
  );
}

function Body({ report, reload }: { report: ReportDetail; reload: () => void }) {
  return (
    <>
      <View className="card" id="detail-summary">
        <View className="row-between">
          <Text className="card-title" id="detail-case-no">
            {report.caseNo}
          </Text>
          <StateTag state={report.state} className="detail-state" />
        </View>
        <Field label={zh.detail.category} value={report.category?.name} />
        <Field label={zh.detail.address} value={report.address} />
        <Field label={zh.detail.createdAt} value={formatTime(report.createdAt)} />
        <View className="detail-description" id="detail-description">
          {report.description}
        </View>
      </View>

      {report.photos.length > 0 && (
        <View className="card">
          <View className="card-title">{zh.detail.photosBefore}</View>
          <PhotoStrip id="photos-before" photos={report.photos} />
        </View>
      )}
      {report.afterPhotos.length > 0 && (
        <View className="card">
          <View className="card-title">{zh.detail.photosAfter}</View>
          <PhotoStrip id="photos-after" photos={report.afterPhotos} />
        </View>
      )}
      {report.reply && (
        <View className="card" id="detail-reply">
          <View className="card-title">{zh.detail.reply}</View>
          <View>{report.reply}</View>
        </View>
      )}

      {report.survey.pending && <Survey caseNo={report.caseNo} onAnswered={reload} />}
      {!report.survey.pending && report.survey.result && (
        <Banner id="survey-result" tone="success" text={zh.detail.surveyThanks(report.survey.result)} />
      )}

      <View className="card">
        <View className="card-title">{zh.detail.timeline}</View>
        <Timeline id="detail-timeline" entries={report.timeline} />
      </View>
    </>
  );
}

function Field({ label, value }: { label: string; value: string | null | undefined }) {
  if (!value) return null;
  return (
    <View className="detail-field">
      <Text className="muted detail-field-label">{label}</Text>
      <Text className="detail-field-value">{value}</Text>
    </View>
  );
}
