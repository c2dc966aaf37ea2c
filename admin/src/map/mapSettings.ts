import { useEffect, useState } from 'react';
import { mapSettings, type MapSettings } from '../api/geo';

const none: MapSettings = { tiles: 'none', layers: [], datum: 'wgs84', maxZoom: 20 };
let loaded: Promise<MapSettings> | null = null;

/** The tile source the server is set to; grids only when it cannot be read, so the map still works. */
export function useMapSettings(): MapSettings | null {
  const [value, setValue] = useState<MapSettings | null>(null);
  useEffect(() => {
    let live = true;
    loaded ??= mapSettings().catch(() => ((loaded = null), none));
    loaded.then((s) => live && setValue(s));
    return () => {
      live = false;
    };
  }, []);
  return value;
}
