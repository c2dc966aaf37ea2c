import type { Config } from '../config.js';

/** One raster layer for the browser: an XYZ URL template in Web Mercator ({z}/{x}/{y}, {a-h} for hosts). */
export interface TileLayer {
  url: string;
  attribution: string;
}

export interface MapSettings {
  tiles: 'none' | 'tianditu' | 'xyz' | 'wmts';
  /** Drawn bottom first; empty: grids only, nothing reaches outside the service. */
  layers: TileLayer[];
  /** The datum of stored points and of the tiles (天地图's CGCS2000 ≈ WGS-84): no shift needed. */
  datum: 'wgs84';
  maxZoom: number;
}

/** A WMTS KVP GetTile request for a Web Mercator (GoogleMapsCompatible-style) matrix set. */
function wmtsTemplate(
  base: string,
  layer: string,
  matrixSet: string,
  format: string,
  style: string,
  extra = '',
): string {
  const sep = base.includes('?') ? '&' : '?';
  return (
    `${base}${sep}SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${encodeURIComponent(layer)}` +
    `&STYLE=${encodeURIComponent(style)}&TILEMATRIXSET=${encodeURIComponent(matrixSet)}` +
    `&FORMAT=${encodeURIComponent(format)}&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}${extra}`
  );
}

/**
 * The tile source is a setting: 天地图 (its vec_w road map and cva_w labels, by its documented
 * WMTS interface with the key), any XYZ template, any WMTS endpoint, or none. The browser only
 * ever receives URL templates; the key of 天地图 is a browser key by design (bound to a domain).
 */
export function mapSettings(config: Config): MapSettings {
  const common = { tiles: config.MAP_TILES, datum: 'wgs84' as const, maxZoom: 20 };
  switch (config.MAP_TILES) {
    case 'tianditu': {
      const tk = `&tk=${config.TIANDITU_KEY}`;
      const host = (name: string) =>
        wmtsTemplate(`https://t{0-7}.tianditu.gov.cn/${name}_w/wmts`, name, 'w', 'tiles', 'default', tk);
      const attribution = '© 天地图 国家地理信息公共服务平台';
      return {
        ...common,
        maxZoom: 18,
        layers: [
          { url: host('vec'), attribution },
          { url: host('cva'), attribution },
        ],
      };
    }
    case 'xyz':
      return { ...common, layers: [{ url: config.MAP_TILES_URL!, attribution: config.MAP_TILES_ATTRIBUTION }] };
    case 'wmts':
      return {
        ...common,
        layers: [
          {
            url: wmtsTemplate(
              config.MAP_TILES_URL!,
              config.MAP_WMTS_LAYER,
              config.MAP_WMTS_MATRIX_SET,
              config.MAP_WMTS_FORMAT,
              config.MAP_WMTS_STYLE,
            ),
            attribution: config.MAP_TILES_ATTRIBUTION,
          },
        ],
      };
    default:
      return { ...common, layers: [] };
  }
}
