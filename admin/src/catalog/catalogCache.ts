import { useEffect, useState } from 'react';
import * as catalog from '../api/catalog';
import { itemsOf } from '../api/lists';
import type { CategoryNode, Department, GridFeature } from '../api/types';

/**
 * Categories, departments and grid names change rarely and are needed by many screens, so each
 * is fetched once per session. A failed load (e.g. a role without access) yields an empty list
 * and is retried next time it is asked for.
 */
const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export function resetCatalog() {
  cache.clear();
}

function useCached<T>(key: string, load: () => Promise<T>, fallback: T): T {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    let live = true;
    cached(key, load)
      .then((v) => live && setValue(v))
      .catch(() => live && setValue(fallback));
    return () => {
      live = false;
    };
    // The loader and fallback are fixed per key.
  }, [key]);
  return value;
}

const noCategories: CategoryNode[] = [];
const noDepartments: Department[] = [];
const noGrids: GridFeature[] = [];

export const useCategories = () =>
  useCached('categories', async () => itemsOf(await catalog.categories()), noCategories);
export const useDepartments = () =>
  useCached('departments', async () => itemsOf(await catalog.departments()), noDepartments);
/** Grid cells for pickers and labels; the map screen loads its own fresh copy for the counts. */
export const useGridCells = () => useCached('grids', async () => (await catalog.grids()).features ?? [], noGrids);
/** Areas of every level, for routing rules (a rule may name a street or a community, not only a cell). */
export const useAllAreas = () => useCached('areas', async () => (await catalog.allAreas()).features ?? [], noGrids);
