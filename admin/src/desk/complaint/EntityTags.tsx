import { Space, Tag, Typography } from 'antd';
import type { Classification } from '../../api/types';
import { t } from '../../i18n/zh-CN';

/** What the classifier found in the text; a location can be taken as the address with one click. */
export function EntityTags({
  entities,
  onUseAddress,
}: {
  entities: Classification['entities'] | undefined;
  onUseAddress: (address: string) => void;
}) {
  const { locations = [], times = [], phones = [] } = entities ?? {};
  if (!locations.length && !times.length && !phones.length) return null;
  return (
    <Space direction="vertical" size={4} data-testid="complaint-entities" style={{ marginBottom: 12 }}>
      <Typography.Text type="secondary">{t.complaint.entities}</Typography.Text>
      <Space wrap>
        {locations.map((l) => (
          <Tag
            key={`l-${l}`}
            color="blue"
            style={{ cursor: 'pointer' }}
            title={t.complaint.useAsAddress}
            onClick={() => onUseAddress(l)}
            data-testid="entity-location"
          >
            {t.complaint.entityLocations}：{l}
          </Tag>
        ))}
        {times.map((x) => (
          <Tag key={`t-${x}`} color="purple" data-testid="entity-time">
            {t.complaint.entityTimes}：{x}
          </Tag>
        ))}
        {phones.map((x) => (
          <Tag key={`p-${x}`} color="cyan" data-testid="entity-phone">
            {t.complaint.entityPhones}：{x}
          </Tag>
        ))}
      </Space>
    </Space>
  );
}
