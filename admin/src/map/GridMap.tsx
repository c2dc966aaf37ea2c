import { useMemo, useRef, useState } from 'react';
import type { GridFeature, GridProperties } from '../api/types';
import { centroid, colourFor, fitProjection, pathOf } from './geometry';

export interface GridMapProps {
  features: GridFeature[];
  /** The figure that colours each cell; without it cells are drawn plain (the location picker). */
  metric?: (p: GridProperties) => number;
  selectedId?: number | null;
  onSelect?: (feature: GridFeature, point: { lat: number; lng: number }) => void;
  tooltip?: (p: GridProperties) => React.ReactNode;
  /** Drawing width in SVG units; the SVG itself scales to its container. */
  width?: number;
  maxHeight?: number;
  testId?: string;
}

/** Grid cells from the areas GeoJSON drawn as SVG: no tiles, so it works inside a closed network. */
export function GridMap({
  features,
  metric,
  selectedId,
  onSelect,
  tooltip,
  width = 800,
  maxHeight,
  testId = 'grid-map',
}: GridMapProps) {
  const projection = useMemo(() => fitProjection(features, width), [features, width]);
  const max = useMemo(
    () => (metric ? Math.max(0, ...features.map((f) => metric(f.properties))) : 0),
    [features, metric],
  );
  // Outlines and label points once per set of cells, not on every hover or keystroke.
  const shapes = useMemo(
    () =>
      features.map((f) => {
        const centre = centroid(f);
        return { f, d: pathOf(f, projection), centre, label: projection.project([centre.lng, centre.lat]) };
      }),
    [features, projection],
  );
  const [hover, setHover] = useState<{ p: GridProperties; x: number; y: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);

  /** The ground point under the pointer; the cell's centroid when there is no pointer (keyboard). */
  const pointOf = (e: React.MouseEvent, fallback: { lat: number; lng: number }) => {
    const el = svg.current;
    const ctm = typeof el?.getScreenCTM === 'function' ? el.getScreenCTM() : null;
    if (!ctm || (e.clientX === 0 && e.clientY === 0)) return fallback;
    const at = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const [lng, lat] = projection.invert([at.x, at.y]);
    return { lat, lng };
  };

  const track = (p: GridProperties) => (e: React.MouseEvent) => {
    const rect = box.current?.getBoundingClientRect();
    if (rect) setHover({ p, x: e.clientX - rect.left, y: e.clientY - rect.top });
  };

  return (
    <div ref={box} style={{ position: 'relative' }} data-testid={testId} onMouseLeave={() => setHover(null)}>
      <svg
        ref={svg}
        viewBox={`0 0 ${projection.width} ${projection.height}`}
        style={{ width: '100%', maxHeight, display: 'block', background: '#fafafa', borderRadius: 6 }}
      >
        {shapes.map(({ f, d, centre, label: [cx, cy] }) => {
          const p = f.properties;
          const value = metric?.(p) ?? 0;
          const selected = p.id === selectedId;
          return (
            <g key={p.id}>
              <path
                d={d}
                fill={metric ? colourFor(value, max) : selected ? '#bae0ff' : '#ffffff'}
                stroke={selected ? '#1677ff' : '#8c8c8c'}
                strokeWidth={selected ? 2.5 : 0.8}
                style={{ cursor: onSelect ? 'pointer' : 'default' }}
                data-testid="grid-cell"
                data-grid-id={p.id}
                data-grid-name={p.name}
                data-value={metric ? value : undefined}
                role={onSelect ? 'button' : undefined}
                tabIndex={onSelect ? 0 : undefined}
                aria-label={p.name}
                onClick={(e) => onSelect?.(f, pointOf(e, centre))}
                onKeyDown={(e) => {
                  if (onSelect && (e.key === 'Enter' || e.key === ' ')) onSelect(f, centre);
                }}
                onMouseMove={track(p)}
              />
              <text
                x={cx}
                y={cy}
                textAnchor="middle"
                dominantBaseline="middle"
                fontSize={Math.max(9, width / 70)}
                fill="#262626"
                pointerEvents="none"
              >
                {metric ? value : p.name}
              </text>
            </g>
          );
        })}
      </svg>
      {hover && tooltip && (
        <div
          role="tooltip"
          data-testid="grid-tooltip"
          style={{
            position: 'absolute',
            left: hover.x + 12,
            top: hover.y + 12,
            pointerEvents: 'none',
            background: 'rgba(0,0,0,0.78)',
            color: '#fff',
            padding: '4px 8px',
            borderRadius: 4,
            fontSize: 12,
            whiteSpace: 'nowrap',
            zIndex: 10,
          }}
        >
          {tooltip(hover.p)}
        </div>
      )}
    </div>
  );
}
