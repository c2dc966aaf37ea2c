import { Text, View } from '@tarojs/components';
import { formatTime } from '../format/time';
import './Timeline.css';

interface Entry {
  at: string;
  label: string;
  note?: string | null;
}

/** Newest step first, the way the citizen reads progress. The server sends them in the order they happened. */
export function Timeline({ id, entries }: { id: string; entries: Entry[] }) {
  const ordered = [...entries].reverse();
  return (
    <View id={id} className="timeline">
      {ordered.map((e, i) => (
        <View key={`${e.at}-${i}`} className={`timeline-step ${i === 0 ? 'timeline-latest' : ''}`}>
          <View className="timeline-dot" />
          <View className="timeline-body">
            <Text className="timeline-label">{e.label}</Text>
            <Text className="timeline-time">{formatTime(e.at)}</Text>
            {e.note ? <Text className="timeline-note">{e.note}</Text> : null}
          </View>
        </View>
      ))}
    </View>
  );
}
