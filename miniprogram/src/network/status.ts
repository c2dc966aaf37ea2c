import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';

// One flag for the whole app, fed both by the platform's network events and by requests
// that fail or succeed: a captive portal or a dead base station shows up only in the latter.
let online = true;
const listeners = new Set<(online: boolean) => void>();

function set(next: boolean) {
  if (next === online) return;
  online = next;
  for (const l of listeners) l(online);
}

export const markOffline = () => set(false);
export const markOnline = () => set(true);
export const isOnline = () => online;

export function onNetworkChange(listener: (online: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let watching = false;

function watchPlatform() {
  if (watching) return;
  watching = true;
  if (process.env.TARO_ENV === 'h5') {
    // Taro's h5 network API relies on navigator.connection, which desktop browsers leave vague.
    if (typeof navigator !== 'undefined' && navigator.onLine === false) set(false);
    window.addEventListener('online', () => set(true));
    window.addEventListener('offline', () => set(false));
    return;
  }
  Taro.getNetworkType()
    .then((r) => set(r.networkType !== 'none'))
    .catch(() => {});
  Taro.onNetworkStatusChange((r) => set(r.isConnected));
}

export function useOnline(): boolean {
  const [value, setValue] = useState(online);
  useEffect(() => {
    watchPlatform();
    setValue(online);
    return onNetworkChange(setValue);
  }, []);
  return value;
}
