/**
 * Spread onto a Button that is sometimes disabled. Taro's h5 Button writes disabled={false} out as
 * disabled="false", which its own stylesheet still reads as disabled (greyed text): leave it off instead.
 */
export function disabledWhen(off: boolean): { disabled?: true } {
  return off ? { disabled: true } : {};
}
