/** --workload and --input-shape through the CLI, in-process, as dry runs: what the plan records and what is refused. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli as run } from '../../../support/in-process-cli.ts';
import { writeDynamicTensorModel } from '../models/tiny-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-workload-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'experiments.db');
const workload = join(dir, 'traffic.jsonl');
writeFileSync(workload, '[[1, 2], [3, 4]]\n');
const model = join(dir, 'tiny-tensor.onnx');
writeDynamicTensorModel(model);
process.env.TUNE_MODEL_ROOT = dir;

const base = ['--concurrency', '2', '--budget', '3', '--db', db, '--dry-run'];

describe('--workload and --input-shape', () => {
  test('a dry run records the workload file, made absolute, with its sha256, and shows it with the load', async () => {
    const json = await run('--model', 'gan', '--workload', workload, ...base, '--json');
    assert.equal(json.code, 0, json.err);
    const plan = JSON.parse(json.out) as { workload?: { file: string; sha256: string } };
    assert.deepEqual(plan.workload, { file: workload, sha256: createHash('sha256').update(readFileSync(workload)).digest('hex') });
    const text = await run('--model', 'gan', '--workload', workload, ...base);
    assert.match(text.out, /^load: .*, recorded .*traffic\.jsonl \(sha256 [0-9a-f]{12}\)$/m);
    const generated = await run('--model', 'gan', ...base);
    assert.match(generated.out, /^load: .*, generated inputs$/m);
  });

  test('--input-shape is repeatable and recorded by input name', async () => {
    const result = await run('--model', model, '--input-shape', 'x=2x5', '--input-shape', 'scale=1', ...base, '--json');
    assert.equal(result.code, 0, result.err);
    assert.deepEqual((JSON.parse(result.out) as { inputShapes?: unknown }).inputShapes, { x: [2, 5], scale: [1] });
  });

  test('refusals: a malformed shape, a built-in model, a missing file, options a resumed study keeps', async () => {
    const malformed = await run('--model', model, '--input-shape', 'x=2xW', ...base);
    assert.equal(malformed.code, 2);
    assert.match(malformed.err, /--input-shape x=2xW: give NAME=DIMSxDIMS…/);
    const builtin = await run('--model', 'gan', '--input-shape', 'x=3', ...base);
    assert.match(builtin.err, /the built-in gan has none; drop --input-shape/);
    const missing = await run('--model', 'gan', '--workload', join(dir, 'nope.jsonl'), ...base);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read workload file .*nope\.jsonl/);
    const resumed = await run('--resume', 'some-study', '--workload', workload, '--db', db, '--dry-run');
    assert.match(resumed.err, /drop --workload/);
  });
});
