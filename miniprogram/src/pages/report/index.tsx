import Taro from '@tarojs/taro';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { citizenApi } from '../../api/citizen';
import { ApiError, NetworkError } from '../../api/http';
import type { CategoryNode, ReportInput } from '../../api/types';
import { Banner } from '../../components/Banner';
import { zh } from '../../i18n/zh-CN';
import { MAX_PHOTOS, MIN_TEXT_CHARS } from '../../draft/limits';
import { useOnline } from '../../network/status';
import { CategoryField } from './CategoryField';
import { LocationField } from './LocationField';
import { PhotoField } from './PhotoField';
import { useDraft } from './useDraft';
import { usePhotoUploads } from './usePhotoUploads';
import { useSuggestion } from './useSuggestion';
import { disabledWhen } from '../../components/disabled';
import './index.css';

export default function Report() {
  const { draft, update, reset, restored } = useDraft();
  const suggestion = useSuggestion(draft.text);
  const photos = usePhotoUploads(draft, update);
  const online = useOnline();
  const [tree, setTree] = useState<CategoryNode[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [waitingNetwork, setWaitingNetwork] = useState(false);
  const [textError, setTextError] = useState('');
  const [formError, setFormError] = useState('');
  const [showRestored, setShowRestored] = useState(restored);
  const busy = useRef(false);

  useEffect(() => {
    citizenApi
      .categories()
      .then(setTree)
      .catch(() => {});
  }, []);

  const uploading = draft.photos.some((p) => p.status === 'uploading');

  const submit = useCallback(async () => {
    if (busy.current) return;
    if (draft.text.trim().length < MIN_TEXT_CHARS) return setTextError(zh.report.needDescription(MIN_TEXT_CHARS));
    if (uploading) return setFormError(zh.report.waitUploads);
    busy.current = true;
    setSubmitting(true);
    setTextError('');
    setFormError('');
    const input: ReportInput = {
      // The same key on every attempt: if a lost answer hid a success, the server replays it.
      idempotencyKey: draft.idempotencyKey,
      text: draft.text.trim(),
      // Only a category the citizen chose is sent: the suggestion is the server's own guess,
      // and echoing it back would skip the server's review of low-confidence ones.
      categoryCode: draft.categoryManual ? draft.categoryCode : undefined,
      location: draft.location ? { lat: draft.location.lat, lng: draft.location.lng } : undefined,
      address: draft.address.trim() || undefined,
      photos: draft.photos.filter((p) => p.status === 'done' && p.upload).map((p) => p.upload!.id),
    };
    try {
      const created = await citizenApi.submitReport(input);
      setWaitingNetwork(false);
      reset();
      const dup = created.duplicate ? 1 : 0;
      Taro.redirectTo({
        url: `/pages/detail/index?caseNo=${encodeURIComponent(created.caseNo)}&submitted=1&duplicate=${dup}`,
      });
    } catch (e) {
      if (e instanceof NetworkError) setWaitingNetwork(true);
      else if (e instanceof ApiError && e.code === 'content_refused') setTextError(e.message);
      else setFormError((e instanceof ApiError && e.message) || zh.report.submitFailed);
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  }, [draft, uploading, reset]);

  // A report held back by the network goes out by itself once the network is back.
  // Only a change of `online` triggers it; the latest draft comes with `submit`.
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    if (online && waitingNetwork) submitRef.current();
  }, [online]);

  return (
    <View className="page report" id="page-report">
      {(waitingNetwork || !online) && (
        <Banner
          id="offline-banner"
          tone="warn"
          text={waitingNetwork ? zh.network.offline : zh.network.offlineIdle}
          action={waitingNetwork ? { id: 'offline-retry', label: zh.network.retry, onTap: submit } : undefined}
        />
      )}
      {showRestored && (
        <Banner
          id="draft-banner"
          tone="info"
          text={zh.report.draftRestored}
          action={{
            id: 'draft-clear',
            label: zh.report.clearDraft,
            onTap: () => {
              reset();
              setShowRestored(false);
            },
          }}
        />
      )}

      <View className="card">
        <View className="field-label">{zh.report.descriptionLabel}</View>
        <Textarea
          id="description"
          className={`textarea ${textError ? 'textarea-refused' : ''}`}
          value={draft.text}
          placeholder={zh.report.descriptionPlaceholder}
          maxlength={1000}
          onInput={(e) => {
            update({ text: e.detail.value });
            if (textError) setTextError('');
          }}
        />
        {textError && (
          <View id="description-error" className="error-text">
            {textError}
          </View>
        )}
        <CategoryField
          tree={tree}
          draft={draft}
          suggestion={suggestion.result}
          suggesting={suggestion.loading}
          onPick={(code, name) => update({ categoryCode: code, categoryName: name, categoryManual: true })}
        />
      </View>

      <View className="card">
        <View className="row-between">
          <View className="field-label">{zh.report.photosLabel}</View>
          <Text className="muted">
            {draft.photos.length}/{MAX_PHOTOS}
          </Text>
        </View>
        <View className="hint photos-hint">{zh.report.photosHint(MAX_PHOTOS)}</View>
        <PhotoField
          photos={draft.photos}
          progress={photos.progress}
          onAdd={photos.add}
          onRetry={photos.retry}
          onRemove={photos.remove}
        />
      </View>

      <View className="card">
        <View className="field-label">{zh.report.locationLabel}</View>
        <LocationField draft={draft} update={update} />
      </View>

      <View className="submit-bar">
        {formError && (
          <View id="report-error" className="error-text submit-error">
            {formError}
          </View>
        )}
        {uploading && <View className="hint submit-wait">{zh.report.waitUploads}</View>}
        <Button
          id="report-submit"
          className={`btn btn-primary btn-block ${submitting || uploading ? 'btn-disabled' : ''}`}
          {...disabledWhen(submitting || uploading)}
          onClick={submit}
        >
          {submitting ? zh.report.submitting : zh.report.submit}
        </Button>
      </View>
    </View>
  );
}
