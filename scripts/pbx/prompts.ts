/**
 * Demo recordings of every hotline prompt, spoken by espeak-ng's Mandarin voice (Debian
 * package espeak-ng) and converted by sox to what both PBXes play: 8 kHz mono 16-bit WAV.
 * A city replaces them with its own recordings, same names (telephony/flows/prompts.ts).
 *
 *   npx tsx scripts/pbx/prompts.ts [OUT_DIR]
 *
 * OUT_DIR defaults to $PBX_CACHE_DIR/prompts/zh-CN (/var/cache/chengguan-pbx/...), outside
 * the repository. A file is made again only when its text changed (manifest.json).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { promptFiles } from '../../telephony/flows/prompts.js';

const run = promisify(execFile);

export function defaultPromptsDir(): string {
  return path.join(process.env.PBX_CACHE_DIR ?? '/var/cache/chengguan-pbx', 'prompts', 'zh-CN');
}

export async function makePrompts(outDir = defaultPromptsDir()): Promise<{ dir: string; made: number }> {
  await mkdir(path.join(outDir, 'digits'), { recursive: true });
  const manifestPath = path.join(outDir, 'manifest.json');
  const manifest: Record<string, string> = existsSync(manifestPath)
    ? JSON.parse(await readFile(manifestPath, 'utf8'))
    : {};
  const todo = promptFiles().filter((p) => manifest[p.id] !== p.text || !existsSync(path.join(outDir, `${p.id}.wav`)));
  let next = 0;
  async function worker() {
    while (next < todo.length) {
      const prompt = todo[next++];
      const target = path.join(outDir, `${prompt.id}.wav`);
      const raw = `${target}.espeak.wav`;
      await run('espeak-ng', ['-v', 'cmn', '-s', '150', '-w', raw, prompt.text]);
      await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', target]);
      await rm(raw);
      manifest[prompt.id] = prompt.text;
    }
  }
  await Promise.all([worker(), worker(), worker()]);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 1));
  return { dir: outDir, made: todo.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { dir, made } = await makePrompts(process.argv[2]);
  console.log(`${made} prompt recordings made in ${dir}`);
}
