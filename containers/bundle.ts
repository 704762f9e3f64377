/**
 * Bundles the model server for containers/Dockerfile with the same esbuild settings as the offline image.
 * Usage: node --import tsx containers/bundle.ts <out-file>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleServer } from '../src/deploy/image/bundle.ts';

const out = process.argv[2] ?? 'dist/server.js';
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, await bundleServer('src/server/main.ts'));
console.log(`bundled src/server/main.ts into ${out}`);
