import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Draft, LocationSource } from '../../draft/store';
import { formatLatLng } from '../../format/place';
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
              <Text id="location-coords" className="muted">
                {formatLatLng(draft.location)}
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
