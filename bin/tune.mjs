#!/usr/bin/env node
// The `tune` command. Sources are TypeScript run through tsx (no build step): register it, then hand over.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Open sockets (Docker, HTTP keep-alive) must not hold the exit back once the command is done.
setTimeout(() => process.exit(code), 2000).unref();
