import { Text } from '@tarojs/components';

// Values of the case `state` field (docs/api.md), not display text.
const DONE = new Set(['已处置', '核查', '回访', '结案']);
const REFUSED = new Set(['不予立案', '转办']);

/** The case state as the server names it, coloured by whether the citizen still waits. */
export function StateTag({ state, className = '' }: { state: string; className?: string }) {
  const tone = DONE.has(state) ? 'tag-done' : REFUSED.has(state) ? 'tag-warn' : 'tag-open';
  return <Text className={`tag ${tone} state-tag ${className}`}>{state}</Text>;
}
