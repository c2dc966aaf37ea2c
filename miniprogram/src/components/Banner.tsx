import { Button, Text, View } from '@tarojs/components';
import './Banner.css';

interface Props {
  id: string;
  tone: 'warn' | 'info' | 'success';
  text: string;
  action?: { label: string; onTap: () => void; id: string };
}

/** A full-width notice at the top of a page: offline, restored draft, submitted. */
export function Banner({ id, tone, text, action }: Props) {
  return (
    <View id={id} className={`banner banner-${tone}`}>
      <Text className="banner-text">{text}</Text>
      {action && (
        <Button id={action.id} className="btn btn-small banner-action" onClick={action.onTap}>
          {action.label}
        </Button>
      )}
    </View>
  );
}
