import { describe, expect, it } from 'vitest';
import { buildGrids } from '../test/fixtures';
import { cellAt, centroid, fitProjection } from './geometry';

describe('the grid map projection', () => {
  const features = buildGrids().features;
  const projection = fitProjection(features, 600);

  it('takes a point on the drawing back to the ground point drawn there', () => {
    for (const ground of [
      [120.1, 30.2],
      [120.1234, 30.2087],
      [120.14, 30.22],
    ] as Array<[number, number]>) {
      const [lng, lat] = projection.invert(projection.project(ground));
      expect(lng).toBeCloseTo(ground[0], 6);
      expect(lat).toBeCloseTo(ground[1], 6);
    }
  });

  it('puts the north-west of the drawing to the north-west on the ground', () => {
    const centre = centroid(features[0]);
    const [x, y] = projection.project([centre.lng, centre.lat]);
    const [lng, lat] = projection.invert([x - 20, y - 20]);
    expect(lng).toBeLessThan(centre.lng);
    expect(lat).toBeGreaterThan(centre.lat);
  });
});

describe('the cell under a point', () => {
  const features = buildGrids().features;

  it('finds the cell a picked point falls in, and none outside every cell', () => {
    expect(cellAt(features, { lat: 30.21, lng: 120.11 })?.properties.name).toBe('湖畔一网格');
    expect(cellAt(features, { lat: 30.21, lng: 120.13 })?.properties.name).toBe('湖畔二网格');
    expect(cellAt(features, { lat: 31.5, lng: 121.5 })).toBeUndefined();
  });
});
