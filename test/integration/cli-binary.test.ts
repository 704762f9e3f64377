/**
 * The real `tune` binary on a few generated and hand-picked hostile command lines (all --dry-run, with no
 * Docker engine reachable): the same promise as the in-process fuzzer — exit 0, 1 or 2, at most one line
 * on stderr, no stack trace — holds once node, tsx and process exit are in the way.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { assertOneLine, linesOf } from '../../support/one-line.ts';
import { dryRunArgv } from '../../support/cli-arguments.ts';
import { cliFixtures, type CliFixtures } from '../../support/cli-fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/tune.mjs', import.meta.url));
const run = promisify(execFile);

interface BinaryRun {
  code: number;
  stderr: string;
}

async function tune(argv: string[], fixtures: CliFixtures): Promise<BinaryRun> {
  const env = { ...process.env, DOCKER_HOST: `unix://${fixtures.dir}/no-engine.sock` };
  try {
    const { stderr } = await run(process.execPath, [BIN, ...argv], { cwd: fixtures.dir, env, timeout: 60_000 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stderr: failed.stderr ?? '' };
  }
}

function handPicked(fixtures: CliFixtures): string[][] {
  const [space] = fixtures.spaces;
  return [
    ['--model', 'gan', '--concurrency', '4', '--budget', '3', '--db', fixtures.dbs[2]!, '--space', space!, '--dry-run'],
    ['--model', 'gan', '--concurrency', '0', '--budget', '3', '--dry-run'],
    ['--model', 'gan', '--concurrency', '4', '--budget', '3', '--space', fixtures.spaces[2]!, '--db', fixtures.dbs[2]!, '--dry-run'],
    ['--model', 'gan', '--concurrency', '4', '--budget', '3', '--space', fixtures.spaces[3]!, '--db', fixtures.dbs[2]!, '--dry-run'],
    ['--model', 'gan', '--concurrency', '4', '--budget', '3', '--db', fixtures.dbs[1]!, '--dry-run'],
    ['--resume', 'fuzz-known', '--db', fixtures.dbs[0]!, '--dry-run'],
    ['--model', 'a\nb', '--concurrency', '4', '--budget', '3', '--dry-run'],
    ['--bogus', '\u0001', '--dry-run'],
  ];
}

describe('the tune binary on hostile command lines', () => {
  let fixtures: CliFixtures;
  before(async () => {
    fixtures = await cliFixtures();
  });
  after(() => rmSync(fixtures.dir, { recursive: true, force: true }));

  test('12 command lines exit 0, 1 or 2 with at most one stderr line', async () => {
    // An argv word cannot hold NUL on any OS; the in-process fuzzer covers it.
    const generated = fc.sample(dryRunArgv(fixtures), { numRuns: 4, seed: 20261126 }).map((argv) => argv.map((w) => w.replaceAll('\0', '')));
    const argvs = [...handPicked(fixtures), ...generated];
    const codes: number[] = [];
    // Four at a time: each run is a node start-up with tsx.
    for (let i = 0; i < argvs.length; i += 4) {
      const batch = argvs.slice(i, i + 4);
      const results = await Promise.all(batch.map((argv) => tune(argv, fixtures)));
      results.forEach((result, j) => {
        const what = `tune ${JSON.stringify(batch[j])}`;
        codes.push(result.code);
        assert.ok([0, 1, 2].includes(result.code), `${what} exited ${result.code}: ${result.stderr.slice(0, 400)}`);
        const lines = linesOf(result.stderr);
        assert.ok(lines.length <= 1, `${what} wrote ${lines.length} stderr lines: ${result.stderr.slice(0, 400)}`);
        for (const line of lines) assertOneLine(line, what);
      });
    }
    console.log(`exit codes: ${codes.join(' ')}`);
    assert.ok(codes.includes(0) && codes.includes(2), 'the runs reach both a plan and a usage error');
  });
});
