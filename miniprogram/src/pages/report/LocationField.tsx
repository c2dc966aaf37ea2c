import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Draft, LocationSource } from '../../draft/store';
import { formatPlace } from '../../format/place';
import { citizenApi } from '../../api/citizen';
import { zh } from '../../i18n/zh-CN';
import { MapPicker, type PickedPlace } from '../../location/MapPicker';
import type { DraftPatch } from './useDraft';

const SOURCE_LABEL: Record<LocationSource, string> = {
  photo: zh.report.locationFromPhoto,
  map: zh.report.locationFromMap,
  device: zh.report.locationFromDevice,
};

export function LocationField({ draft, update }: { draft: Draft; update: (p: DraftPatch) => void }) {
  const [picking, setPicking] = useState(false);
  // The point as an address for the citizen to check; never the numbers, even offline.
  const [place, setPlace] = useState<string | null>(null);
  const lat = draft.location?.lat;
  const lng = draft.location?.lng;
  useEffect(() => {
    setPlace(null);
    if (lat == null || lng == null) return;
    let live = true;
    citizenApi
      .describePlace({ lat, lng })
      .then((d) => live && setPlace(formatPlace(d) ?? zh.picker.pointChosen))
      .catch(() => live && setPlace(zh.picker.pointChosen));
    return () => {
      live = false;
    };
  }, [lat, lng]);

  const picked = (p: PickedPlace) => {
    setPicking(false);
    update((d) => ({
      location: { lat: p.lat, lng: p.lng, source: 'map' },
      // The words the picker showed become the address, unless the citizen wrote their own.
      address: d.address.trim() ? d.address : (p.words?.split(' · ')[0] ?? ''),
    }));
  };

  return (
    <View className="location">
      <View className="row-between">
        <View id="location-status" className={`location-status ${draft.location ? 'location-set' : ''}`}>
          {draft.location ? (
            <>
              <Text id="location-source" className="location-source">
                {SOURCE_LABEL[draft.location.source]}
              </Text>
              <Text id="location-place" className="muted" data-lat={draft.location.lat} data-lng={draft.location.lng}>
                {place ?? zh.report.locationLooking}
              </Text>
            </>
          ) : (
            <Text className="hint">{zh.report.locationNone}</Text>
          )}
        </View>
        <Button id="location-choose" className="btn btn-secondary btn-small" onClick={() => setPicking(true)}>
          {zh.report.chooseLocation}
        </Button>
      </View>
      {picking && (
        <MapPicker
          start={draft.location ? { lat: draft.location.lat, lng: draft.location.lng } : null}
          onDone={picked}
          onCancel={() => setPicking(false)}
        />
      )}
      <View className="field-label location-address-label">{zh.report.addressLabel}</View>
      <Input
        id="address-input"
        className="input"
        value={draft.address}
        placeholder={zh.report.addressPlaceholder}
        maxlength={200}
        onInput={(e) => update({ address: e.detail.value })}
      />
    </View>
  );
}
