import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { citizenApi } from '../../api/citizen';
import { ApiError, NetworkError } from '../../api/http';
import type { PublicCase } from '../../api/types';
import { StateTag } from '../../components/StateTag';
import { Timeline } from '../../components/Timeline';
import { formatTime } from '../../format/time';
import { zh } from '../../i18n/zh-CN';
import { disabledWhen } from '../../components/disabled';
import './index.css';

export default function Query() {
  const [caseNo, setCaseNo] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<PublicCase | null>(null);
  const [error, setError] = useState('');

  const search = async () => {
    const no = caseNo.trim();
    if (!no) return setError(zh.query.needCaseNo);
    setBusy(true);
    setError('');
    setFound(null);
    try {
      setFound(await citizenApi.publicCase(no));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setError(zh.query.notFound);
      else if (e instanceof ApiError && e.status === 400) setError(zh.query.badFormat);
      else if (e instanceof NetworkError) setError(zh.network.offlineIdle);
      else setError((e instanceof ApiError && e.message) || zh.common.serverError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page" id="page-query">
      <View className="card">
        <View className="field-label">{zh.query.label}</View>
        <Input
          id="query-input"
          className="input"
          value={caseNo}
          placeholder={zh.query.placeholder}
          type="number"
          confirmType="search"
          onInput={(e) => setCaseNo(e.detail.value)}
          onConfirm={search}
        />
        {error && (
          <View id="query-error" className="error-text">
            {error}
          </View>
        )}
        <Button
          id="query-submit"
          className={`btn btn-primary btn-block query-submit ${busy ? 'btn-disabled' : ''}`}
          {...disabledWhen(busy)}
          onClick={search}
        >
          {zh.query.submit}
        </Button>
      </View>
      {found && (
        <View className="card" id="query-result">
          <View className="row-between">
            <Text className="card-title">{found.caseNo}</Text>
            <StateTag state={found.state} />
          </View>
          {found.category && <View className="muted">{found.category.name}</View>}
          {found.address && <View className="muted">{found.address}</View>}
          <View className="muted">{formatTime(found.createdAt)}</View>
          <View className="query-timeline">
            <Timeline id="query-timeline" entries={found.timeline} />
          </View>
        </View>
      )}
    </View>
  );
}
