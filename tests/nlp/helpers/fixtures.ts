import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Row {
  text: string;
  label: string;
  code?: string;
}

/** A few short reports per class, enough for a model to tell them apart. */
export function buildCorpusRows(): Row[] {
  const rows: Row[] = [];
  const add = (label: string, code: string, texts: string[]) =>
    texts.forEach((text) => rows.push({ text, label, code }));
  add('路灯', '100118', [
    '路灯不亮了',
    '这条街的路灯晚上全黑',
    '小区外面路灯坏了好几天',
    '路灯一闪一闪的',
    '路灯杆被车撞歪了',
    '晚上路灯没开很危险',
  ]);
  add('施工扰民', '200301', [
    '工地半夜施工太吵',
    '晚上十二点还在打桩',
    '夜间施工噪音扰民',
    '工地机器声音吵得睡不着',
    '凌晨还在施工',
    '施工噪音太大了',
  ]);
  add('劳动社保', '990001', [
    '老板拖欠工资不给',
    '公司不交社保',
    '讨薪无门请帮忙',
    '工资三个月没发',
    '养老金没到账',
    '包工头欠钱跑了',
  ]);
  return rows;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeJsonl(path: string, rows: object[]): string {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}
