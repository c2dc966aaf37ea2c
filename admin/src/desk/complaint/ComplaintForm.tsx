import { Alert, Button, Card, Col, Form, Input, Radio, Result, Row, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { createReport } from '../../api/reports';
import type { ReportResult } from '../../api/types';
import { CategorySelect } from '../../catalog/Selects';
import { t } from '../../i18n/zh-CN';
import { newIdempotencyKey } from '../../shared/newIdempotencyKey';
import { PhotoUpload } from '../../shared/PhotoUpload';
import { CategorySuggestion } from './CategorySuggestion';
import { DuplicateWarning } from './DuplicateWarning';
import { EntityTags } from './EntityTags';
import { LocationPicker, type PickedLocation } from './LocationPicker';
import { useClassification } from './useClassification';
import { useNearbyCases } from './useNearbyCases';
import { KnowledgeSearch } from './KnowledgeSearch';

export interface ComplaintFormProps {
  /** The call the new case is linked to (from the screen-pop); without one the report is a desk entry. */
  callId?: string | null;
  classifyDelayMs?: number;
  /** Starts a fresh form (and so a fresh idempotency key) after a successful submit. */
  onNext?: () => void;
}

/** One form instance is one report: its idempotency key lives as long as the form, across retries. */
export function ComplaintForm({ callId, classifyDelayMs = 400, onNext }: ComplaintFormProps) {
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [text, setText] = useState('');
  const [textError, setTextError] = useState(false);
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [location, setLocation] = useState<PickedLocation | null>(null);
  // The agent's own choice wins over the suggestion until they ask for the suggestion back.
  const [manualCategory, setManualCategory] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string>();
  const [result, setResult] = useState<ReportResult>();
  const [urgency, setUrgency] = useState<'一般' | '紧急'>('一般');
  const [consulting, setConsulting] = useState(false);
  const [answer, setAnswer] = useState('');
  const [knowledgeId, setKnowledgeId] = useState<number>();
  const [answerError, setAnswerError] = useState(false);

  const classification = useClassification(text, classifyDelayMs);
  const suggestedCode = classification.result?.minor?.code;
  const categoryCode = manualCategory ?? suggestedCode;
  const nearby = useNearbyCases(location, categoryCode);

  const submit = async () => {
    if (!text.trim()) {
      setTextError(true);
      return;
    }
    if (consulting && !answer.trim()) {
      setAnswerError(true);
      return;
    }
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const r = await createReport({
        idempotencyKey,
        channel: callId ? 'hotline' : 'agent',
        text: text.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(location ? { location: { lat: location.lat, lng: location.lng } } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(categoryCode ? { categoryCode } : {}),
        ...(callId ? { callId } : {}),
        ...(photos.length ? { photos } : {}),
        urgency,
        ...(consulting ? { consultation: { answer: answer.trim(), ...(knowledgeId ? { knowledgeId } : {}) } } : {}),
      });
      setResult(r);
    } catch (err) {
      setSubmitError((err as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  if (result) {
    const duplicate = result.report.disposition === 'duplicate';
    const answered = result.case.kind === '咨询';
    return (
      <Card data-testid="submit-result" data-disposition={result.report.disposition}>
        <Result
          status={duplicate ? 'info' : 'success'}
          title={
            answered ? t.complaint.resultAnswered : duplicate ? t.complaint.resultDuplicate : t.complaint.resultOpened
          }
          subTitle={
            <span>
              {t.complaint.resultCaseNo}：<strong data-testid="submit-result-caseno">{result.case.caseNo}</strong>
            </span>
          }
          extra={[
            <Link key="open" to={`/cases/${result.case.id}`} data-testid="submit-result-open">
              <Button>{t.complaint.openCase}</Button>
            </Link>,
            <Button key="next" type="primary" onClick={onNext} data-testid="new-report">
              {t.complaint.newReport}
            </Button>,
          ]}
        />
      </Card>
    );
  }

  return (
    <Card
      title={t.complaint.title}
      data-testid="complaint-form"
      data-idempotency-key={idempotencyKey}
      extra={callId ? <Tag color="green">{t.complaint.linkedCall(callId)}</Tag> : null}
    >
      <Form layout="vertical" component="div">
        <Space size="large" wrap>
          <Form.Item label={t.complaint.kind}>
            <Radio.Group
              data-testid="complaint-kind"
              value={consulting ? 'consultation' : 'complaint'}
              onChange={(e) => setConsulting(e.target.value === 'consultation')}
              optionType="button"
              options={[
                { value: 'complaint', label: t.complaint.kindComplaint },
                { value: 'consultation', label: t.complaint.kindConsultation },
              ]}
            />
          </Form.Item>
          {!consulting && (
            <Form.Item label={t.complaint.urgency}>
              <Radio.Group
                data-testid="complaint-urgency"
                value={urgency}
                onChange={(e) => setUrgency(e.target.value)}
                optionType="button"
                buttonStyle="solid"
                options={[
                  { value: '一般', label: t.complaint.urgencyNormal },
                  { value: '紧急', label: t.complaint.urgencyUrgent },
                ]}
              />
            </Form.Item>
          )}
        </Space>
        <Form.Item
          label={t.complaint.text}
          required
          validateStatus={textError ? 'error' : undefined}
          help={textError ? t.complaint.textRequired : undefined}
        >
          <Input.TextArea
            data-testid="complaint-text"
            value={text}
            rows={4}
            placeholder={t.complaint.textPlaceholder}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value.trim()) setTextError(false);
            }}
          />
        </Form.Item>

        {consulting && (
          <Form.Item
            label={t.complaint.answer}
            required
            validateStatus={answerError ? 'error' : undefined}
            help={answerError ? t.complaint.answerRequired : undefined}
          >
            <KnowledgeSearch
              initial=""
              onPick={(a) => {
                setAnswer(a.answer);
                setKnowledgeId(a.id);
                setAnswerError(false);
              }}
            />
            <Input.TextArea
              data-testid="complaint-answer"
              rows={3}
              value={answer}
              onChange={(e) => {
                setAnswer(e.target.value);
                setKnowledgeId(undefined);
                if (e.target.value.trim()) setAnswerError(false);
              }}
            />
          </Form.Item>
        )}

        <CategorySuggestion
          result={classification.result}
          loading={classification.loading}
          failed={!!classification.error}
          overridden={manualCategory !== undefined && manualCategory !== suggestedCode && !!suggestedCode}
          onPick={setManualCategory}
          onUseSuggestion={() => setManualCategory(undefined)}
        />
        <EntityTags entities={classification.result?.entities} onUseAddress={setAddress} />

        <Form.Item label={t.complaint.category}>
          <Space wrap>
            <CategorySelect
              testId="category-select"
              value={categoryCode}
              onChange={setManualCategory}
              placeholder={t.complaint.categoryPlaceholder}
              style={{ width: 320 }}
            />
            <span
              data-testid="category-current"
              data-code={categoryCode ?? ''}
              data-source={manualCategory ? 'manual' : 'suggested'}
            >
              {manualCategory && <Tag color="blue">{t.complaint.overridden}</Tag>}
            </span>
          </Space>
        </Form.Item>

        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t.complaint.address}>
              <Input
                data-testid="complaint-address"
                value={address}
                placeholder={t.complaint.addressPlaceholder}
                onChange={(e) => setAddress(e.target.value)}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item label={t.complaint.name}>
              <Input data-testid="complaint-name" value={name} onChange={(e) => setName(e.target.value)} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item label={t.complaint.phone}>
              <Input
                data-testid="complaint-phone"
                value={phone}
                placeholder={t.complaint.phonePlaceholder}
                onChange={(e) => setPhone(e.target.value)}
              />
            </Form.Item>
          </Col>
        </Row>

        <Form.Item label={t.complaint.location}>
          <LocationPicker value={location} onChange={setLocation} address={address} />
        </Form.Item>

        <Form.Item label={t.complaint.photos}>
          <PhotoUpload onChange={setPhotos} testId="complaint-photos" />
        </Form.Item>

        <DuplicateWarning items={nearby} />

        {submitError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="submit-error"
            message={submitError}
            description={t.complaint.submitFailed}
          />
        )}
        <Button type="primary" size="large" loading={submitting} onClick={submit} data-testid="submit-report">
          {t.complaint.submit}
        </Button>
      </Form>
    </Card>
  );
}
