import { Button, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { citizenApi } from '../../api/citizen';
import { ApiError } from '../../api/http';
import type { SurveyResult } from '../../api/types';
import { zh } from '../../i18n/zh-CN';
import { disabledWhen } from '../../components/disabled';

/** 满意 / 基本满意 / 不满意 with an optional comment; the case closes on the server's side. */
export function Survey({ caseNo, onAnswered }: { caseNo: string; onAnswered: () => void }) {
  const [choice, setChoice] = useState<SurveyResult | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');

  const send = async () => {
    if (!choice) return setError(zh.detail.surveyChoose);
    setSending(true);
    setError('');
    try {
      await citizenApi.answerSurvey(caseNo, choice, comment.trim());
      onAnswered();
    } catch (e) {
      setError((e instanceof ApiError && e.message) || zh.common.serverError);
    } finally {
      setSending(false);
    }
  };

  return (
    <View className="card" id="survey">
      <View className="card-title">{zh.detail.surveyTitle}</View>
      <View className="survey-options">
        {zh.detail.surveyOptions.map((o, i) => (
          <View
            key={o}
            id={`survey-option-${i}`}
            className={`survey-option ${choice === o ? 'survey-selected' : ''}`}
            onClick={() => {
              setChoice(o);
              setError('');
            }}
          >
            {o}
          </View>
        ))}
      </View>
      <Textarea
        id="survey-comment"
        className="textarea survey-comment"
        value={comment}
        placeholder={zh.detail.surveyCommentPlaceholder}
        maxlength={500}
        onInput={(e) => setComment(e.detail.value)}
      />
      {error && (
        <View id="survey-error" className="error-text">
          {error}
        </View>
      )}
      <Button
        id="survey-submit"
        className={`btn btn-primary btn-block survey-submit ${sending ? 'btn-disabled' : ''}`}
        {...disabledWhen(sending)}
        onClick={send}
      >
        {zh.detail.surveySubmit}
      </Button>
    </View>
  );
}
