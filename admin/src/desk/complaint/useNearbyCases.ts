import { useEffect, useState } from 'react';
import { nearbyCases } from '../../api/reports';
import type { NearbyCase } from '../../api/reports';

/**
 * Open cases of the same 小类 near the chosen place. The warning is advice only, so a failed
 * lookup shows nothing rather than blocking intake.
 */
export function useNearbyCases(location: { lat: number; lng: number } | null, categoryCode: string | undefined) {
  const [items, setItems] = useState<NearbyCase[]>([]);
  const lat = location?.lat;
  const lng = location?.lng;

  useEffect(() => {
    setItems([]);
    if (lat === undefined || lng === undefined || !categoryCode) return;
    const controller = new AbortController();
    nearbyCases(lat, lng, categoryCode, controller.signal)
      .then((r) => {
        if (!controller.signal.aborted) setItems(r.items ?? []);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [lat, lng, categoryCode]);

  return items;
}
