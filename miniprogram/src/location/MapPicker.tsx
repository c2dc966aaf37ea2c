import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { citizenApi } from '../api/citizen';
import type { DescribedPlace, LatLng, PlaceProposal } from '../api/types';
import { disabledWhen } from '../components/disabled';
import { formatPlace } from '../format/place';
import { zh } from '../i18n/zh-CN';
import { currentPosition } from './current';
import { PickerMap } from './PickerMap';
import './MapPicker.css';

/** The demo city's centre, where the map opens when nothing better is known. */
const CITY_CENTRE: LatLng = { lat: 30.245, lng: 120.19 };
const SEARCH_DELAY_MS = 400;

export interface PickedPlace extends LatLng {
  /** The address as the citizen will read it (东湖路18号附近 · 东湖街道湖畔社区 · 第1网格). */
  words: string | null;
}

/**
 * Where the problem is: type an address (the city's gazetteer, /api/geo/search) and the map moves
 * there with the pin on it, or tap the map (drag the pin on h5). The place is said in words with
 * its grid; points are WGS-84 from here on, whatever map drew them.
 */
export function MapPicker({
  start,
  onDone,
  onCancel,
}: {
  start: LatLng | null;
  onDone: (p: PickedPlace) => void;
  onCancel: () => void;
}) {
  const [centre, setCentre] = useState<LatLng>(start ?? CITY_CENTRE);
  const [picked, setPicked] = useState<LatLng | null>(start);
  const [described, setDescribed] = useState<DescribedPlace | null>(null);
  const [looking, setLooking] = useState(false);
  const [query, setQuery] = useState('');
  const [proposals, setProposals] = useState<PlaceProposal[]>([]);
  const [searched, setSearched] = useState(false);
  const typed = useRef(0);

  useEffect(() => {
    if (start) return;
    let live = true;
    void currentPosition(5000).then((here) => {
      if (!live || !here) return;
      setCentre(here);
    });
    return () => {
      live = false;
    };
  }, [start]);

  useEffect(() => {
    setDescribed(null);
    if (!picked) return;
    let live = true;
    setLooking(true);
    citizenApi
      .describePlace(picked)
      .then((d) => live && setDescribed(d))
      .catch(() => live && setDescribed(null))
      .finally(() => live && setLooking(false));
    return () => {
      live = false;
    };
  }, [picked?.lat, picked?.lng]);

  const search = (q: string) => {
    setQuery(q);
    const n = ++typed.current;
    if (q.trim().length < 2) {
      setProposals([]);
      setSearched(false);
      return;
    }
    setTimeout(() => {
      if (n !== typed.current) return;
      citizenApi
        .searchPlaces(q.trim())
        .then((items) => {
          if (n !== typed.current) return;
          setProposals(items);
          setSearched(true);
          // The best match is where the map goes, as the console's address field does.
          if (items[0]) take(items[0], false);
        })
        .catch(() => n === typed.current && (setProposals([]), setSearched(true)));
    }, SEARCH_DELAY_MS);
  };

  const closeProposals = () => {
    setProposals([]);
    setSearched(false);
  };

  const take = (p: PlaceProposal, close: boolean) => {
    const point = { lat: p.lat, lng: p.lng };
    setCentre(point);
    setPicked(point);
    if (close) closeProposals();
  };

  const words = described ? formatPlace(described) : null;

  return (
    <View className="picker" id="map-picker">
      <View className="picker-search">
        <Input
          id="picker-search"
          className="input"
          value={query}
          placeholder={zh.picker.searchPlaceholder}
          maxlength={100}
          confirmType="search"
          onInput={(e) => search(e.detail.value)}
        />
        {proposals.length > 0 && (
          <View className="picker-proposals" id="picker-proposals">
            {proposals.map((p, i) => (
              <View key={`${p.label}-${i}`} className="picker-proposal" onClick={() => take(p, true)}>
                <Text className="picker-proposal-label">{p.label}</Text>
                <Text className="muted">{p.areaNames.slice(1, 3).join('')}</Text>
              </View>
            ))}
          </View>
        )}
        {searched && proposals.length === 0 && <View className="hint">{zh.picker.noMatch}</View>}
      </View>
      <PickerMap
        centre={centre}
        picked={picked}
        onPick={(p) => {
          setPicked(p);
          closeProposals();
        }}
      />
      <View className="picker-footer">
        <View id="picker-place" className="picker-place" data-lat={picked?.lat} data-lng={picked?.lng}>
          {!picked ? (
            <Text className="hint">{zh.picker.tapToPick}</Text>
          ) : looking ? (
            <Text className="hint">{zh.report.locationLooking}</Text>
          ) : (
            <>
              <Text className="picker-words">{words ?? zh.picker.pointChosen}</Text>
              {described?.grid ? (
                <Text id="picker-grid" className="muted">
                  {zh.picker.grid(described.grid.name)}
                </Text>
              ) : (
                described && <Text className="error-text">{zh.picker.outside}</Text>
              )}
            </>
          )}
        </View>
        <View className="row-between picker-actions">
          <Button id="picker-cancel" className="btn btn-secondary btn-small" onClick={onCancel}>
            {zh.picker.cancel}
          </Button>
          <Button
            id="picker-done"
            className={`btn btn-primary btn-small ${!picked || looking ? 'btn-disabled' : ''}`}
            {...disabledWhen(!picked || looking)}
            onClick={() => picked && !looking && onDone({ ...picked, words })}
          >
            {zh.picker.done}
          </Button>
        </View>
      </View>
    </View>
  );
}
