/**
 * Fuzzing the `tune` command line in process: generated argv arrays (with --dry-run, so nothing runs) go
 * through the CLI's own main(argv, io). Whatever they hold, the CLI exits 0, 1 or 2 and writes at most one
 * error line, never a stack trace.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { main } from '../../../src/cli/main.ts';
import { assertOneLine } from '../../../support/one-line.ts';
import { dryRunArgv } from '../../../support/cli-arguments.ts';
import { cliFixtures, type CliFixtures } from '../../../support/cli-fixtures.ts';

const RUNS = 5000;

describe('tune command line under fuzzing', () => {
  let fixtures: CliFixtures;
  const home = process.cwd();
  const dockerHost = process.env.DOCKER_HOST;

  before(async () => {
    fixtures = await cliFixtures();
    // A second guard besides --dry-run: should a command line ever start a real study, it finds no engine.
    process.env.DOCKER_HOST = `unix://${fixtures.dir}/no-engine.sock`;
    // Relative paths the fuzzer makes up resolve inside the scratch directory, never in the work tree.
    process.chdir(fixtures.dir);
  });

  after(() => {
    process.chdir(home);
    if (dockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = dockerHost;
    rmSync(fixtures.dir, { recursive: true, force: true });
  });

  test(`${RUNS} generated --dry-run command lines exit 0, 1 or 2 with at most one error line`, async () => {
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(dryRunArgv(fixtures), async (argv) => {
        const errors: string[] = [];
        const code = await main(argv, { out: () => undefined, err: (text) => errors.push(text) });
        codes.set(code, (codes.get(code) ?? 0) + 1);
        assert.ok([0, 1, 2].includes(code), `exit code ${code}`);
        assert.ok(errors.length <= 1, `${errors.length} error writes: ${JSON.stringify(errors)}`);
        if (code !== 0) assert.equal(errors.length, 1, 'a failing command says why');
        for (const line of errors) assertOneLine(line, 'CLI error output');
      }),
      { numRuns: RUNS },
    );
    console.log(`exit codes over ${RUNS} runs: ${JSON.stringify(Object.fromEntries(codes))}`);
    // The generator must reach every outcome, or it is not exercising the CLI.
    for (const code of [0, 2]) assert.ok((codes.get(code) ?? 0) > 0, `no run exited ${code}`);
  });
});
