/**
 * Bundles the model server for containers/Dockerfile with the same esbuild settings as the offline image.
 * Usage: node --import tsx containers/bundle.ts <out-dir>  (writes server.js and inference-worker.js)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleServer } from '../src/deploy/image/bundle.ts';

const out = process.argv[2] ?? 'dist';
mkdirSync(out, { recursive: true });
for (const file of await bundleServer('src/server/main.ts')) writeFileSync(join(out, file.name), file.text);
console.log(`bundled src/server/main.ts into ${out}/server.js and ${out}/inference-worker.js`);
