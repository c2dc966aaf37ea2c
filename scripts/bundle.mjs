// The service bundled: `npm run build` bundles server/main.ts, with what it imports from server/, nlp/,
// telephony/ and the pure JavaScript packages, into dist/server/main.js (in place of tsc's) and the chunks
// it loads, so a start reads and links a handful of modules instead of about 1,150 (issue #18: a restart
// within 2 s; figures in the README).
// tsc's output stays beside it for the tools run from dist/ (the PGlite template's CLI) and as the reference.
//
// Kept outside the bundle: packages with native binaries or files found beside their own code (PGlite's
// WebAssembly and data, the segmenter's and hashing's prebuilt binaries, sharp), and packages only tests
// or comparisons load. A module that finds files beside itself through import.meta.url (migrations,
// the taxonomy, the model, the admin UI) gets its own dist/ address in the bundle, as under tsc.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const EXTERNAL = [
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  '@node-rs/*',
  'sharp',
  'wechaty',
  'wechaty-*',
  'node-nlp',
  'pg-native',
  // pino finds its transport workers' files beside its own code (none are configured; kept whole all the same).
  'pino',
];

/** Each of our modules' import.meta.url / .dirname, made the address its tsc output has under dist/. */
function ownAddresses(outDir) {
  return {
    name: 'own-addresses',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.')) return { contents: source, loader: 'ts' };
        const compiled = path.join(root, 'dist', path.relative(root, args.path)).replace(/\.ts$/, '.js');
        const rel = JSON.stringify(path.relative(outDir, compiled).split(path.sep).join('/'));
        const url = `new URL(${rel}, import.meta.url).href`;
        const contents = source
          .replaceAll('import.meta.url', url)
          .replaceAll('import.meta.dirname', `__cgDirname(${url})`);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** Bundles server/main.ts to dist/server/main.js and its chunks; returns their number and size. */
export async function bundleService() {
  const { build } = await import('esbuild');
  const outdir = path.join(root, 'dist/server');
  const result = await build({
    entryPoints: { main: path.join(root, 'server/main.ts') },
    outdir,
    // What the service imports only when it needs it (a channel, the PGlite template, the workers'
    // supervisor) stays in chunks of its own beside main.js, and so do the packages those import:
    // in one file their imports would be hoisted and loaded at every start.
    splitting: true,
    chunkNames: 'bundle-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS packages inside an ES module call require() for Node's own modules; the bundle gives them one.
    banner: {
      js: [
        "import { createRequire as __cgCreateRequire } from 'node:module';",
        "import { fileURLToPath as __cgFileURLToPath } from 'node:url';",
        "import { dirname as __cgPathDirname } from 'node:path';",
        'const require = __cgCreateRequire(import.meta.url);',
        'const __cgDirname = (url) => __cgPathDirname(__cgFileURLToPath(url));',
      ].join('\n'),
    },
    plugins: [ownAddresses(outdir)],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  // What each output file imports, as esbuild wrote it (tests/deploy/bundle.test.ts reads it).
  const imports = {};
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.js')) continue;
    imports[path.basename(file)] = out.imports.map(({ path: name, kind, external }) => ({
      name: external ? name : `./${path.basename(name)}`,
      kind,
    }));
  }
  await writeFile(path.join(outdir, 'bundle-imports.json'), JSON.stringify(imports, null, 1));
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  return { files: outputs.length, bytes: outputs.reduce((sum, [, out]) => sum + out.bytes, 0) };
}
