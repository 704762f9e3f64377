#!/usr/bin/env node
// The `tune` command. An installed package runs the compiled dist/cli/main.js. A checkout (src/ beside bin/)
// runs the TypeScript sources through tsx instead, even when a dist/ from an earlier `npm run build` is there:
// tests and `node bin/tune.mjs` must run the code as it is now, never a stale build. The published tarball
// holds no src/ (see "files" in package.json), so it never needs tsx, which is only a devDependency.
import { existsSync } from 'node:fs';

const fromSource = existsSync(new URL('../src/cli/main.ts', import.meta.url));
let code = 1;
try {
  let main;
  if (fromSource) {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../src/cli/main.ts'));
  } else {
    ({ main } = await import('../dist/cli/main.js'));
  }
  code = await main(process.argv.slice(2));
} catch (error) {
  // Only a broken installation gets here (main turns every other error into a line and an exit code).
  const message = error instanceof Error ? error.message : String(error);
  const fix = fromSource ? 'npm ci' : 'npm install tune-serving';
  process.stderr.write(`tune could not start: ${message.split('\n')[0]} (reinstall with: ${fix})\n`);
}
process.exitCode = code;
// Open sockets (Docker, HTTP keep-alive) must not hold the exit back once the command is done.
setTimeout(() => process.exit(code), 2000).unref();
