import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const citiesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../nlp/taxonomy/cities');

export interface CityTable {
  city: string;
  categories: Array<{
    code: string;
    kind: '部件' | '事件' | '非城管';
    level: '大类' | '小类';
    name: string;
    parent?: string;
    synonyms?: string[];
    agency?: string;
  }>;
}

export function cityTables(): CityTable[] {
  return readdirSync(citiesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(citiesDir, f), 'utf8')) as CityTable);
}
