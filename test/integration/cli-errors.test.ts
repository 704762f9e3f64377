/**
 * The `tune` binary as a user meets it: each class of command-line error gives its exit code and one
 * line on stderr, never a stack trace. Runs bin/tune.mjs as a child process (--dry-run where a run would start).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/tune.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tune-cli-'));
const db = join(dir, 'none.db');
const GAN = ['--model', 'gan', '--concurrency', '4', '--budget', '3', '--db', db];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function tune(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** Exactly one line on stderr, matching `pattern`, and no stack trace. */
async function failsWith(args: string[], code: number, pattern: RegExp): Promise<void> {
  const run = await tune(...args);
  assert.equal(run.code, code, `exit code of tune ${args.join(' ')} (stderr: ${run.stderr})`);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

describe('tune command-line errors', { concurrency: 4 }, () => {
  test('an unknown option is bad usage', () => failsWith([...GAN, '--bogus', '--dry-run'], 2, /^Unknown argument: bogus/));

  test('a malformed number is bad usage', () =>
    failsWith(['--model', 'gan', '--concurrency', 'four', '--budget', '3'], 2, /--concurrency must be a whole number from 1 to 4096, got "four"/));

  test('an unknown strategy is bad usage', () => failsWith([...GAN, '--strategy', 'annealing'], 2, /unknown --strategy "annealing": choose bo, random, grid or lhs/));

  test('a missing --model is bad usage', () => failsWith(['--concurrency', '4', '--budget', '3', '--dry-run'], 2, /missing required option --model/));

  test('an SLO without a known unit is bad usage', () => failsWith([...GAN, '--slo-p99', '200'], 2, /--slo-p99 must be a latency with a unit/));

  test('confirming one contender, or a trade-off study, is bad usage', async () => {
    await failsWith([...GAN, '--confirm', '1', '--dry-run'], 2, /^--confirm 1 has nothing to compare the winner with: give 2 or more contenders, or 0 to skip confirmation$/);
    await failsWith([...GAN, '--objective', 'mean,cost', '--confirm', '2', '--dry-run'], 2, /^--confirm compares the winner with the runners-up on one objective: .*; drop --confirm$/);
  });

  test('resuming an unknown study is bad usage', () => failsWith(['--resume', 'nope', '--db', db, '--dry-run'], 2, /no study "nope" in .*none\.db/));

  test('a model outside the allowed directory (the working directory) is bad usage, with the way out', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'tune-cli-elsewhere-'));
    writeFileSync(join(elsewhere, 'model.onnx'), 'not read: refused before');
    await failsWith(['--model', join(elsewhere, 'model.onnx'), '--concurrency', '4', '--budget', '3', '--db', db, '--dry-run'], 2, /^model path .*model\.onnx is outside the allowed directory .*tune-cli-\w+: move the model under it or set TUNE_MODEL_ROOT=/);
  });

  test('a bad search-space file is bad usage, named in the message', async () => {
    const space = join(dir, 'space.json');
    writeFileSync(space, JSON.stringify({ parameters: [{ name: 'replicas', kind: 'int', low: 4, high: 1, default: 1 }] }));
    await failsWith([...GAN, '--space', space, '--dry-run'], 2, /space\.json: parameter "replicas"/);
  });

  test('an unknown command is bad usage', () => failsWith(['frobnicate'], 2, /Unknown argument: frobnicate/));

  test('a read-only command on a missing database fails with what to do', () => failsWith(['trials', '--study', 'x', '--db', db], 2, /no database at .*none\.db/));
});

describe('tune --dry-run and --help', { concurrency: 4 }, () => {
  test('--dry-run validates and prints the plan, grid size included, and creates nothing', async () => {
    const run = await tune(...GAN, '--strategy', 'grid', '--precision', 'int8', '--dry-run');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /study gan-grid-c4-b3-s1 in .*none\.db \(new\)/);
    assert.match(run.stdout, /grid: \d+ configurations/);
    assert.match(run.stdout, /pinned: precision=int8/);
    assert.match(run.stdout, /synthetic/);
    const second = await tune('studies', '--db', db);
    assert.equal(second.code, 2, 'the dry run did not create the database');
  });

  test('--dry-run --json prints the plan as JSON', async () => {
    const run = await tune(...GAN, '--dry-run', '--json');
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { study: string; budget: number; baseline: Record<string, unknown> };
    assert.equal(plan.study, 'gan-bo-c4-b3-s1');
    assert.equal(plan.baseline.replicas, 1);
  });

  for (const command of [[], ['compare'], ['models'], ['trials']]) {
    test(`tune ${command.join(' ') || '(default)'} --help shows examples`, async () => {
      const run = await tune(...command, '--help');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Examples:/);
      if (command.length === 0 || command[0] === 'models') assert.match(run.stdout, /synthetic/, 'says the built-in weights are synthetic');
    });
  }
});
