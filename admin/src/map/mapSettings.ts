import { useEffect, useState } from 'react';
import { mapSettings, roads, type MapSettings } from '../api/geo';

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

type Roads = Awaited<ReturnType<typeof roads>>;
let roadsLoaded: Promise<Roads | null> | null = null;

/** The gazetteer's road centre lines, drawn when there are no tiles to show the streets. */
export function useRoads(enabled: boolean): Roads | null {
  const [value, setValue] = useState<Roads | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    roadsLoaded ??= roads().catch(() => ((roadsLoaded = null), null));
    roadsLoaded.then((r) => live && setValue(r));
    return () => {
      live = false;
    };
  }, [enabled]);
  return value;
}
