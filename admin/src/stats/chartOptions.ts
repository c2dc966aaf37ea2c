import type { Stats } from '../api/types';
import { t } from '../i18n/zh-CN';
import type { EChartsCoreOption } from './echarts';

export const channelOption = (rows: Stats['byChannel']): EChartsCoreOption => ({
  tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
  legend: { bottom: 0 },
  series: [
    {
      type: 'pie',
      radius: ['40%', '68%'],
      // Outside labels are cut off in a narrow card; the legend and tooltip carry the names.
      label: { show: false },
      data: rows.map((r) => ({ name: t.channels[r.channel] ?? r.channel, value: r.n })),
    },
  ],
});

export const categoryOption = (rows: Stats['byCategory']): EChartsCoreOption => {
  const top = [...rows]
    .sort((a, b) => b.n - a.n)
    .slice(0, 15)
    .reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map((r) => r.name) },
    series: [{ type: 'bar', barMaxWidth: 24, data: top.map((r) => r.n), itemStyle: { color: '#1677ff' } }],
  };
};

export const dayOption = (rows: Stats['byDay']): EChartsCoreOption => ({
  tooltip: { trigger: 'axis' },
  grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
  xAxis: { type: 'category', data: rows.map((r) => r.day) },
  yAxis: { type: 'value', minInterval: 1 },
  series: [{ type: 'line', smooth: true, areaStyle: { opacity: 0.15 }, data: rows.map((r) => r.n) }],
});
