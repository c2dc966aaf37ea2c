import { Col, Row, Tabs } from 'antd';
import { useState } from 'react';
import { t } from '../i18n/zh-CN';
import { CallbackQueue } from './callbacks/CallbackQueue';
import { ComplaintForm } from './complaint/ComplaintForm';
import { ReviewQueue } from './review/ReviewQueue';
import { ScreenPopPanel } from './screenpop/ScreenPopPanel';
import { useScreenPop } from './screenpop/useScreenPop';

export default function DeskPage() {
  const { pop, status, clear } = useScreenPop();
  const [formNo, setFormNo] = useState(0);

  return (
    <Tabs
      data-testid="desk-tabs"
      items={[
        {
          key: 'intake',
          label: <span data-testid="desk-tab-intake">{t.complaint.title}</span>,
          children: (
            <Row gutter={16}>
              <Col xs={24} xl={8}>
                <ScreenPopPanel pop={pop} status={status} onClear={clear} />
              </Col>
              <Col xs={24} xl={16}>
                <ComplaintForm key={formNo} callId={pop?.callId} onNext={() => setFormNo((n) => n + 1)} />
              </Col>
            </Row>
          ),
        },
        {
          key: 'review',
          label: <span data-testid="desk-tab-review">{t.review.title}</span>,
          children: <ReviewQueue />,
        },
        {
          key: 'callbacks',
          label: <span data-testid="desk-tab-callbacks">{t.callbacks.title}</span>,
          children: <CallbackQueue />,
        },
      ]}
    />
  );
}
