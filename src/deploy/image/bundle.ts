/**
 * Bundles the model server into one ESM file. onnxruntime-node stays external: its native binding is
 * loaded from node_modules at run time.
 */
import { build } from 'esbuild';

/** ESM output still needs `require` for bundled CommonJS dependencies that call it. */
const REQUIRE_SHIM = "import { createRequire as __tuneCreateRequire } from 'node:module';\nconst require = __tuneCreateRequire(import.meta.url);";

export async function bundleServer(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['onnxruntime-node'],
    banner: { js: REQUIRE_SHIM },
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}
