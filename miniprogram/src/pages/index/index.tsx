import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { citizenApi } from '../../api/citizen';
import type { NearbyCase } from '../../api/types';
import { StateTag } from '../../components/StateTag';
import { formatTime } from '../../format/time';
import { HOTLINE, zh } from '../../i18n/zh-CN';
import { currentPosition } from '../../location/current';
import './index.css';

type Nearby = { status: 'loading' } | { status: 'failed' } | { status: 'ready'; items: NearbyCase[] };

/** The public board is a web page: opened in place on h5, in a web-view page in WeChat. */
function openBoard() {
  if (process.env.TARO_ENV === 'h5') window.location.href = '/public/';
  else Taro.navigateTo({ url: '/pages/board/index' });
}

export default function Home() {
  const [nearby, setNearby] = useState<Nearby>({ status: 'loading' });

  useDidShow(() => {
    // Without a position the server still answers with the city's latest handled cases.
    currentPosition(5000)
      .then((at) => citizenApi.nearbyHandled(at))
      .then((items) => setNearby({ status: 'ready', items }))
      .catch(() => setNearby({ status: 'failed' }));
  });

  return (
    <View className="page home" id="page-home">
      <View className="home-hero">
        <Text className="home-headline">{zh.home.headline}</Text>
        <Text className="home-subline">{zh.home.subline}</Text>
        <Button
          id="home-report"
          className="btn home-report"
          onClick={() => Taro.navigateTo({ url: '/pages/report/index' })}
        >
          {zh.home.report}
        </Button>
      </View>

      <View className="home-actions">
        <Button
          id="home-call"
          className="btn btn-plain home-action"
          onClick={() => Taro.makePhoneCall({ phoneNumber: HOTLINE })}
        >
          {zh.home.call}
        </Button>
        <Button
          id="home-query"
          className="btn btn-plain home-action"
          onClick={() => Taro.switchTab({ url: '/pages/query/index' })}
        >
          {zh.home.query}
        </Button>
        {/* WeChat's customer-service chat (客服消息): the same bot as the official account; h5 has no such session. */}
        {process.env.TARO_ENV === 'weapp' && (
          <Button id="home-chat" className="btn btn-plain home-action" openType="contact">
            {zh.home.chat}
          </Button>
        )}
      </View>

      <Button id="home-board" className="btn btn-plain home-action" onClick={openBoard}>
        {zh.home.board}
      </Button>

      <View className="card" id="nearby">
        <View className="card-title">{zh.home.nearbyTitle}</View>
        {nearby.status === 'loading' && <View className="empty">{zh.common.loading}</View>}
        {nearby.status === 'failed' && <View className="empty">{zh.home.nearbyFailed}</View>}
        {nearby.status === 'ready' && nearby.items.length === 0 && <View className="empty">{zh.home.nearbyEmpty}</View>}
        {nearby.status === 'ready' &&
          nearby.items.map((c) => (
            <View key={c.caseNo} className="list-item nearby-item">
              <View className="list-main">
                <View className="list-title">{c.category?.name ?? c.caseNo}</View>
                <View className="muted">{c.address}</View>
                {c.closedAt && <View className="muted">{zh.home.closedAt(formatTime(c.closedAt))}</View>}
              </View>
              <StateTag state={c.state} />
            </View>
          ))}
      </View>
    </View>
  );
}
