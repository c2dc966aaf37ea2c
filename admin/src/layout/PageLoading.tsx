import { Spin } from 'antd';
import { t } from '../i18n/zh-CN';

export function PageLoading() {
  return (
    <div style={{ padding: 80, textAlign: 'center' }}>
      <Spin tip={t.app.loading}>
        <div style={{ height: 40 }} />
      </Spin>
    </div>
  );
}
