import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Draft, LocationSource } from '../../draft/store';
import { formatLatLng, formatPlace } from '../../format/place';
import { citizenApi } from '../../api/citizen';
import { zh } from '../../i18n/zh-CN';
import { choosePlace } from '../../location/choose';
import type { DraftPatch } from './useDraft';
import { disabledWhen } from '../../components/disabled';

const SOURCE_LABEL: Record<LocationSource, string> = {
  photo: zh.report.locationFromPhoto,
  map: zh.report.locationFromMap,
  device: zh.report.locationFromDevice,
};

export function LocationField({ draft, update }: { draft: Draft; update: (p: DraftPatch) => void }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  // The point as an address for the citizen to check; the numbers only when the lookup fails (offline).
  const [place, setPlace] = useState<string | null>(null);
  const lat = draft.location?.lat;
  const lng = draft.location?.lng;
  useEffect(() => {
    setPlace(null);
    if (lat == null || lng == null) return;
    let live = true;
    citizenApi
      .describePlace({ lat, lng })
      .then((d) => live && setPlace(formatPlace(d) ?? formatLatLng({ lat, lng })))
      .catch(() => live && setPlace(formatLatLng({ lat, lng })));
    return () => {
      live = false;
    };
  }, [lat, lng]);

  const choose = async () => {
    setBusy(true);
    setFailed(false);
    const place = await choosePlace();
    setBusy(false);
    if (!place) return setFailed(true);
    update((d) => ({
      location: { lat: place.lat, lng: place.lng, source: process.env.TARO_ENV === 'h5' ? 'device' : 'map' },
      address: d.address.trim() ? d.address : (place.address ?? ''),
    }));
  };

  return (
    <View className="location">
      <View className="row-between">
        <View id="location-status" className={`location-status ${draft.location ? 'location-set' : ''}`}>
          {busy ? (
            <Text className="hint">{zh.report.locating}</Text>
          ) : draft.location ? (
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
        <Button
          id="location-choose"
          className={`btn btn-secondary btn-small ${busy ? 'btn-disabled' : ''}`}
          {...disabledWhen(busy)}
          onClick={choose}
        >
          {zh.report.chooseLocation}
        </Button>
      </View>
      {failed && <View className="error-text">{zh.report.locationFailed}</View>}
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
