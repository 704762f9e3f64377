/** Which trial is exported, the one-line errors for one that cannot be, and tune export end to end on a stored study. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { exportStudy } from '../../../src/app/export.ts';
import { TuneError } from '../../../src/app/errors.ts';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { bindProblem, chooseTrial, portProblem } from '../../../src/export/shared.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import { runCli } from '../../../support/in-process-cli.ts';
import { assertOneLine } from '../../../support/one-line.ts';
import { completeTrial, exportStudyRecord, failedTrial, metrics, PARAMS } from './fixture.ts';

const study = exportStudyRecord();
const trials = [completeTrial(0, { replicas: 1, cpus: 1 }, 40), completeTrial(1, PARAMS, 12), failedTrial(2), completeTrial(3, PARAMS, 20)];

describe('chooseTrial', () => {
  test('the best complete trial on the study’s objective by default, a named complete one when asked', () => {
    const best = chooseTrial(study, trials, undefined, 'x.db');
    assert.ok(best.ok && best.trial.number === 1 && best.chosen === 'best');
    const named = chooseTrial(study, trials, 3, 'x.db');
    assert.ok(named.ok && named.trial.number === 3 && named.chosen === 'named');
  });

  test('a failed, a missing or no complete trial: one line saying what to do', () => {
    const failed = chooseTrial(study, trials, 2, 'x.db');
    assert.ok(!failed.ok && failed.code === 'trial_not_complete');
    assert.match(failed.message, /trial 2 of study "gan-bo-c16-b20-s1" is failed \(oom_killed\): only a complete trial can be exported; pick one from: tune trials --study gan-bo-c16-b20-s1 --db x\.db/);
    const missing = chooseTrial(study, trials, 9, 'x.db');
    assert.ok(!missing.ok && missing.code === 'no_such_trial');
    assert.match(missing.message, /has no trial 9 \(its trials are 0–3\)/);
    const none = chooseTrial(study, [failedTrial(0)], undefined, 'x.db');
    assert.ok(!none.ok && none.code === 'no_complete_trial');
    assert.match(none.message, /no complete trial to export: continue it with: tune --resume gan-bo-c16-b20-s1 --db x\.db/);
    for (const choice of [failed, missing, none]) if (!choice.ok) assertOneLine(choice.message, choice.code);
  });

  test('--bind takes an IPv4 address or subnet; ports must fit below 65536', () => {
    for (const good of ['127.0.0.1', '10.77.0.0/24', '0.0.0.0', '192.168.1.7/32']) assert.equal(bindProblem(good), undefined, good);
    for (const bad of ['localhost', '10.77.0.0/33', '256.1.1.1', '::1', '10.0.0.0/8/1', '']) assert.ok(bindProblem(bad), bad);
    assert.equal(portProblem(65534, 2), undefined);
    assert.match(portProblem(65535, 2) ?? '', /past port 65535/);
  });
});

describe('tune export on a stored study', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tune-export-'));
  const db = join(dir, 'experiments.db');
  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  opened.storage.createStudy(study);
  for (const trial of trials) {
    opened.storage.startTrial(study.id, trial.number, trial.params);
    if (trial.state === 'complete') opened.storage.finishTrial(study.id, trial.number, { state: 'complete', metrics: trial.metrics ?? metrics(1), objectiveValue: trial.objectiveValue });
    else opened.storage.finishTrial(study.id, trial.number, { state: 'failed', failureKind: trial.failureKind, failureMessage: trial.failureMessage });
  }
  opened.storage.startTrial(study.id, 4, PARAMS); // still running
  opened.storage.close();

  const deps = { imageTag: async () => 'tune-server:feedbeef0001', modelDir: async (_source: unknown, precision: string) => `/models-cache/gan/${precision}` };

  test('a failed, running or missing trial and an unknown study exit 2 with one line', async () => {
    const cases: [string[], RegExp][] = [
      [['--trial', '2'], /trial 2 of study "gan-bo-c16-b20-s1" is failed \(oom_killed\)/],
      [['--trial', '4'], /trial 4 of study "gan-bo-c16-b20-s1" is running/],
      [['--trial', '7'], /has no trial 7/],
    ];
    for (const [extra, expected] of cases) {
      const result = await runCli('export', '--study', study.id, '--format', 'compose', '--db', db, ...extra);
      assert.equal(result.code, 2, result.err);
      assert.match(result.err, expected);
      assertOneLine(result.err, extra.join(' '));
      assert.equal(result.out, '');
    }
    const unknown = await runCli('export', '--study', 'nope', '--format', 'swarm', '--db', db);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no study "nope"/);
    const badFormat = await runCli('export', '--study', study.id, '--format', 'nomad', '--db', db);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.err, /unknown --format "nomad": choose/);
    const badBind = await runCli('export', '--study', study.id, '--format', 'swarm', '--bind', 'localhost', '--db', db);
    assert.equal(badBind.code, 2);
    assert.match(badBind.err, /--bind "localhost" is not an IPv4 address or subnet/);
  });

  test('the best trial by default: its spec, the prepared model directory at its precision and the image tag', async () => {
    const result = await exportStudy({ db, study: study.id, format: 'compose', port: 9300 }, deps);
    assert.equal(result.trial, 1);
    assert.equal(result.chosen, 'best');
    assert.equal(result.image, 'tune-server:feedbeef0001');
    const parsed = parse(result.text) as { services: Record<string, { volumes: { source: string }[]; cpus: number }> };
    assert.equal(Object.keys(parsed.services).length, 3);
    assert.equal(parsed.services['gan-1']!.volumes[0]!.source, '/models-cache/gan/int8');
    assert.equal(parsed.services['gan-1']!.cpus, 0.75);
  });

  test('--trial, --image and --out: Kubernetes objects written to the file, valid', async () => {
    const out = join(dir, 'k8s', 'tune.yaml');
    const result = await exportStudy({ db, study: study.id, trial: 0, format: 'kubernetes', out, image: 'registry.example.com/tune-server:feedbeef0001' }, deps);
    assert.equal(result.out, out);
    const [deploymentDoc] = parseAllDocuments(readFileSync(out, 'utf8')).map((document) => document.toJS());
    const deployment = new Deployment(deploymentDoc);
    deployment.validate();
    assert.equal(deployment.spec!.replicas, 1);
    assert.equal(deployment.spec!.template.spec!.containers[0]!.image, 'registry.example.com/tune-server:feedbeef0001');
    assert.match(readFileSync(out, 'utf8'), /trial 0 \(chosen with --trial\)/);
    assert.match(readFileSync(out, 'utf8'), /# image: registry\.example\.com\/tune-server:feedbeef0001, as given/);
  });

  test('through the CLI, --out prints where it wrote', async () => {
    // The model directory comes from the real preparation here: trial 0 serves the small gan model at fp32.
    const out = join(dir, 'stack.yml');
    const result = await runCli('export', '--study', study.id, '--trial', '0', '--format', 'swarm', '--image', 'tune-server:given', '--out', out, '--db', db);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^wrote .*stack\.yml: swarm for trial 0 of gan-bo-c16-b20-s1 \(as asked\), image tune-server:given$/);
    const stack = parse(readFileSync(out, 'utf8')) as { services: { gan: { deploy: { replicas: number }; volumes: { source: string }[] } } };
    assert.equal(stack.services.gan.deploy.replicas, 1);
    assert.match(stack.services.gan.volumes[0]!.source, /gan.*fp32/);
  });

  test('errors from the application layer are TuneErrors with stable codes', async () => {
    await assert.rejects(exportStudy({ db, study: study.id, trial: 2, format: 'swarm' }, deps), (error: unknown) => error instanceof TuneError && error.code === 'trial_not_complete' && error.kind === 'usage');
    await assert.rejects(exportStudy({ db, study: study.id, format: 'swarm', port: 65535 }, deps), /past port 65535/);
  });
});
