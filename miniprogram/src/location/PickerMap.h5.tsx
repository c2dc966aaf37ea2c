import { lazy, Suspense } from 'react';
import type { PickerMapProps } from './PickerMap';

// OpenLayers is fetched when the citizen opens the picker, not with the report page.
const WebPickerMap = lazy(() => import('./WebPickerMap'));

/** The h5 build's map: OpenLayers (WebPickerMap.tsx), in the stored datum. */
export function PickerMap(props: PickerMapProps) {
  return (
    <Suspense fallback={<div className="picker-map" />}>
      <WebPickerMap {...props} />
    </Suspense>
  );
}
