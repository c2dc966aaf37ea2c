import { currentPosition } from './current';
import type { ChosenPlace } from './choose';

export type { ChosenPlace };

/** Browsers have no map picker without a map vendor's key: use where the citizen stands. */
export async function choosePlace(): Promise<ChosenPlace | null> {
  return currentPosition();
}
