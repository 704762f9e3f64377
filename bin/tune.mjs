#!/usr/bin/env node
// The `tune` command. Sources are TypeScript run through tsx (no build step): register it, then hand over.
import { register } from 'tsx/esm/api';

register();
let code = 1;
try {
  const { main } = await import('../src/cli/main.ts');
  code = await main(process.argv.slice(2));
} catch (error) {
  // Only a broken installation gets here (main turns every other error into a line and an exit code).
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tune could not start: ${message.split('\n')[0]} (reinstall with: npm ci)\n`);
}
process.exitCode = code;
// Open sockets (Docker, HTTP keep-alive) must not hold the exit back once the command is done.
setTimeout(() => process.exit(code), 2000).unref();
