/**
 * Bundles the model server into ESM files: server.js (the entry) and inference-worker.js (the thread that runs
 * ONNX Runtime; worker-runner.ts finds it beside server.js). onnxruntime-node stays external: its native
 * binding is loaded from node_modules at run time.
 */
import { basename, dirname, extname, join } from 'node:path';
import { build } from 'esbuild';

/** ESM output still needs `require` for bundled CommonJS dependencies that call it. */
const REQUIRE_SHIM = "import { createRequire as __tuneCreateRequire } from 'node:module';\nconst require = __tuneCreateRequire(import.meta.url);";

export interface BundledFile {
  name: string; // e.g. server.js
  text: string;
}

/**
 * `entry` is src/server/main.ts (a checkout) or dist/server/main.js (the built package); its worker entry
 * sits beside it, with the same extension.
 */
export async function bundleServer(entry: string): Promise<BundledFile[]> {
  const result = await build({
    entryPoints: { server: entry, 'inference-worker': join(dirname(entry), `inference-worker${extname(entry)}`) },
    outdir: 'bundle',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['onnxruntime-node'],
    banner: { js: REQUIRE_SHIM },
    write: false,
    logLevel: 'silent',
  });
  const files = result.outputFiles.map((output) => ({ name: basename(output.path), text: output.text }));
  if (files.length !== 2) throw new Error(`esbuild produced ${files.length} files for ${entry}, expected 2`);
  return files.sort((a, b) => a.name.localeCompare(b.name));
}
