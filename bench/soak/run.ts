/**
 * Soak: one gan study for N minutes with faults injected at random (replica kills, SIGKILL + resume,
 * SIGTERM + resume, Docker engine cuts through a socket proxy), then a summary: trials by state, faults by
 * kind, finished trials lost (must be 0), orphan containers (must be 0), longest teardown.
 * Run: node --import tsx bench/soak/run.ts --minutes 30 [--faults-per-minute 2] [--seed 1]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { createRng } from '../../src/random/rng.ts';
import { DockerProxy } from '../../support/docker-proxy.ts';
import { studyContainers, trialRows } from '../../support/study-state.ts';
import { startTune, tinyStudyArgs, type TuneProcess } from '../../support/tune-process.ts';
import { countBy, FAULT_KINDS, finishedRows, formatSummary, lostOrChanged, type FaultKind, type SoakSummary } from './ledger.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, 'faults-per-minute': { type: 'string', default: '2' }, seed: { type: 'string', default: '1' } } });
const minutes = Number(values.minutes);
const faultsPerMinute = Number(values['faults-per-minute']);
const rng = createRng(Number(values.seed));
const docker = createDockerClient();
const dir = join(process.cwd(), '.cache', 'soak');
mkdirSync(dir, { recursive: true });
const study = `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`;
const db = join(dir, `${study}.db`);
const proxy = new DockerProxy(join(dir, `${process.pid}.sock`));
const env = { DOCKER_HOST: proxy.dockerHost };

const summary: SoakSummary = { minutes: 0, trialsByState: {}, failuresByKind: {}, faults: { replica_kill: 0, sigkill: 0, sigterm: 0, proxy_cut: 0 }, lostTrials: [], orphanContainers: 0, teardownsMs: [], unexpectedExits: [] };
let finished = new Map<number, string>();

/** After every exit: finished rows seen before must all still be there, unchanged. */
function checkLedger(): void {
  const now = finishedRows(trialRows(db, study));
  for (const lost of lostOrChanged(finished, now)) if (!summary.lostTrials.includes(lost)) summary.lostTrials.push(lost);
  finished = now;
}

function launch(first: boolean): TuneProcess {
  return startTune(first ? tinyStudyArgs(study, db, 10_000, 2) : ['--resume', study, '--db', db], env);
}

/** A running replica of the newest trial: the one being measured, not a leftover of an earlier fault. */
async function runningReplica(): Promise<string | undefined> {
  const running = trialRows(db, study).find((row) => row.state === 'running');
  if (running === undefined) return undefined;
  const labels = ['tune.tool=tune', `tune.study=${study}`, `tune.trial=${String(running.number)}`];
  const current = await docker.listContainers({ filters: { label: labels, status: ['running'] } });
  return current[Math.floor(rng.next() * current.length)]?.Id;
}

/** Exponential gap between faults, so they land anywhere in a trial's life. */
function nextGapMs(): number {
  return (-Math.log(1 - rng.next()) / faultsPerMinute) * 60_000;
}

async function inject(kind: FaultKind, tune: TuneProcess): Promise<boolean> {
  if (kind === 'replica_kill') {
    const victim = await runningReplica();
    if (!victim) return false;
    await docker.getContainer(victim).kill().catch(() => undefined);
    return true;
  }
  if (kind === 'sigkill') tune.kill('SIGKILL');
  if (kind === 'sigterm') {
    const sentAt = tune.kill('SIGTERM');
    const exit = await tune.exited;
    summary.teardownsMs.push(exit.at - sentAt);
  }
  if (kind === 'proxy_cut') {
    await proxy.cut();
    await tune.exited;
    await proxy.restore();
  }
  return true;
}

await proxy.start();
const started = performance.now();
const deadline = started + minutes * 60_000;
let tune = launch(true);
let nextFault = performance.now() + nextGapMs();
let attempts = rng.int(0, FAULT_KINDS.length - 1);
while (performance.now() < deadline) {
  const exitedEarly = await Promise.race([tune.exited.then(() => true), sleep(250).then(() => false)]);
  if (exitedEarly) {
    const exit = await tune.exited;
    const last = tune.stderr.filter((l) => l.trim()).at(-1) ?? '';
    // Exit 1 after an engine cut is expected; anything else on its own is worth a look.
    if (exit.code !== 1 || !/resume with/.test(last)) summary.unexpectedExits.push(`code ${exit.code}: ${last.slice(0, 160)}`);
    checkLedger();
    tune = launch(false);
    continue;
  }
  if (performance.now() < nextFault) continue;
  if (!(await runningReplica())) continue; // faults land mid-trial, while a replica is up
  // Random moments, kinds in turn: every kind gets its share even in a short run.
  const kind = FAULT_KINDS[attempts++ % FAULT_KINDS.length]!;
  if (await inject(kind, tune)) summary.faults[kind] += 1;
  nextFault = performance.now() + nextGapMs();
  if (kind !== 'replica_kill') {
    await tune.exited;
    await sleep(500); // a SIGKILLed process's replica is still up: the resume must reap it
    checkLedger();
    tune = launch(false);
  }
}

const sentAt = tune.kill('SIGTERM');
const exit = await tune.exited;
summary.teardownsMs.push(exit.at - sentAt);
checkLedger();
await proxy.cut();
const rows = trialRows(db, study);
summary.minutes = (performance.now() - started) / 60_000;
summary.trialsByState = countBy(rows, (r) => String(r.state));
summary.failuresByKind = countBy(rows.filter((r) => r.state === 'failed'), (r) => String(r.failure_kind));
summary.orphanContainers = (await studyContainers(docker, study)).length;
console.log(`study ${study} in ${db}`);
console.log(formatSummary(summary));
if (summary.orphanContainers > 0) console.log(`remove the orphans with: tune reap --study ${study}`);
