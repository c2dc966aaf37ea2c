import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { citizenApi } from '../../api/citizen';
import { fileUrl } from '../../api/files';
import { ApiError } from '../../api/http';
import type { MyReport } from '../../api/types';
import { StateTag } from '../../components/StateTag';
import { formatTime } from '../../format/time';
import { zh } from '../../i18n/zh-CN';
import './index.css';

type List = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; items: MyReport[] };

export default function Mine() {
  const [list, setList] = useState<List>({ status: 'loading' });

  const load = () =>
    citizenApi
      .myReports()
      .then((items) => setList({ status: 'ready', items }))
      .catch((e) => setList({ status: 'failed', message: (e instanceof ApiError && e.message) || zh.mine.loadFailed }));

  useDidShow(() => {
    load();
  });
  usePullDownRefresh(() => {
    load().finally(() => Taro.stopPullDownRefresh());
  });

  const open = (caseNo: string) => Taro.navigateTo({ url: `/pages/detail/index?caseNo=${encodeURIComponent(caseNo)}` });

  return (
    <View className="page" id="page-mine">
      {list.status === 'loading' && <View className="empty">{zh.common.loading}</View>}
      {list.status === 'failed' && (
        <View className="empty" id="mine-error">
          <View>{list.message}</View>
          <Button className="btn btn-secondary btn-small" onClick={load}>
            {zh.common.retry}
          </Button>
        </View>
      )}
      {list.status === 'ready' && list.items.length === 0 && (
        <View className="empty" id="mine-empty">
          <View>{zh.mine.empty}</View>
          <Button className="btn btn-primary" onClick={() => Taro.navigateTo({ url: '/pages/report/index' })}>
            {zh.mine.goReport}
          </Button>
        </View>
      )}
      {list.status === 'ready' && list.items.length > 0 && (
        <View className="card" id="mine-list">
          {list.items.map((r) => (
            <View
              key={r.caseNo}
              id={`report-${r.caseNo}`}
              className="list-item report-item"
              onClick={() => open(r.caseNo)}
            >
              {r.thumbUrl ? (
                <Image className="thumb" src={fileUrl(r.thumbUrl)} mode="aspectFill" />
              ) : (
                <View className="thumb" />
              )}
              <View className="list-main">
                <View className="list-title">{r.title}</View>
                <View className="muted">{r.category?.name ?? r.caseNo}</View>
                <View className="muted">{formatTime(r.createdAt)}</View>
              </View>
              <View className="report-item-side">
                <StateTag state={r.state} />
                {r.surveyPending && <Text className="tag tag-warn survey-pending">{zh.mine.surveyPending}</Text>}
              </View>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
