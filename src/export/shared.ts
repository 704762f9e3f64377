/**
 * What every export format shares: the trial to export (the study's best, or one asked for, complete only), the
 * input each generator takes, the header every file opens with, the readiness check run inside the image, and
 * YAML written so that YAML 1.1 readers (docker-compose, Go's yaml.v2) read back exactly the strings written.
 * Pure: the application layer (src/app/export.ts) reads storage, prepares the model and picks the image tag.
 */
import { Document } from 'yaml';
import type { DeploymentSpec } from '../deploy/backend.ts';
import { MODEL_MOUNT, replicaConfig } from '../deploy/docker/container-config.ts';
import { IMAGE_REPOSITORY } from '../deploy/image.ts';
import type { StudyRecord, TrialMetrics, TrialRecord } from '../domain/records.ts';
import { confirmationVerdict } from '../domain/confirmation.ts';
import { bestTrial, byNumber } from '../domain/trials.ts';
import { OBJECTIVE_NAME } from '../domain/vocabulary.ts';
import { formatParams, formatValue } from '../report/format.ts';
import { ipv4Number, parseSubnet } from '../server/address.ts';
import { ROUTES } from '../server/protocol.ts';

export const EXPORT_FORMATS = ['compose', 'swarm', 'kubernetes'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** TF Serving's REST port, as the server's own default. */
export const DEFAULT_EXPORT_PORT = 8501;

/** A complete trial: what an export is made of. */
export type ExportableTrial = TrialRecord & { state: 'complete' };

export interface ExportInput {
  study: StudyRecord;
  trial: ExportableTrial;
  /** How the trial was chosen: the winner of the study's confirmation rounds, else its best, or named with --trial. */
  chosen: TrialChosen;
  /** The trial's configuration as the Docker backend deployed it (src/study/params-to-spec.ts). */
  spec: DeploymentSpec;
  /** The model-server image, tune-server:<tag> or its name in a registry. */
  image: string;
  /** Compose and Swarm: replica i (from 1) listens on port + i - 1. Kubernetes: the container's port. */
  port: number;
  /** Compose and Swarm: TUNE_HOST, an IPv4 address or a subnet meaning "this node's address in it". */
  bind: string;
}

export type TrialChosen = 'confirmed' | 'best' | 'named';

export type TrialChoice =
  | { ok: true; trial: ExportableTrial; chosen: TrialChosen }
  | { ok: false; code: 'no_such_trial' | 'trial_not_complete' | 'no_complete_trial'; message: string };

/** The trial to export: number `wanted` when given (it must be complete), else the confirmed winner, else the best on the study's objective. */
export function chooseTrial(study: StudyRecord, trials: readonly TrialRecord[], wanted: number | undefined, db: string): TrialChoice {
  const list = `tune trials --study ${study.id} --db ${db}`;
  if (wanted === undefined) {
    const winner = confirmationVerdict(trials)?.winner;
    const confirmed = trials.find((t) => t.number === winner && t.state === 'complete');
    if (confirmed !== undefined) return { ok: true, trial: confirmed as ExportableTrial, chosen: 'confirmed' };
    const best = bestTrial(trials, study.objective);
    if (best === undefined || best.state !== 'complete') {
      return { ok: false, code: 'no_complete_trial', message: `study "${study.id}" has no complete trial to export: continue it with: tune --resume ${study.id} --db ${db}` };
    }
    return { ok: true, trial: best as ExportableTrial, chosen: 'best' };
  }
  const trial = trials.find((candidate) => candidate.number === wanted);
  if (trial === undefined) {
    const numbers = byNumber(trials).map((candidate) => candidate.number);
    const has = numbers.length === 0 ? 'it has no trials' : `its trials are ${numbers[0]}–${numbers[numbers.length - 1]}`;
    return { ok: false, code: 'no_such_trial', message: `study "${study.id}" has no trial ${wanted} (${has}): pick a complete one from: ${list}` };
  }
  if (trial.state !== 'complete') {
    const why = trial.failureKind ? ` (${trial.failureKind})` : '';
    return {
      ok: false,
      code: 'trial_not_complete',
      message: `trial ${wanted} of study "${study.id}" is ${trial.state}${why}: only a complete trial can be exported; pick one from: ${list}, or leave out --trial for the best`,
    };
  }
  return { ok: true, trial: trial as ExportableTrial, chosen: 'named' };
}

/** Why `bind` cannot be TUNE_HOST of an export, or undefined: an IPv4 address, or an IPv4 subnet such as 10.77.0.0/24. */
export function bindProblem(bind: string): string | undefined {
  const subnet = parseSubnet(bind);
  if (ipv4Number(bind) !== undefined || (subnet !== undefined && subnet !== 'invalid')) return undefined;
  return `--bind "${bind}" is not an IPv4 address or subnet: give one such as 127.0.0.1, or 10.77.0.0/24 for each node's address in that subnet`;
}

/** Why the ports of an export do not fit, or undefined. */
export function portProblem(port: number, replicas: number): string | undefined {
  const last = port + replicas - 1;
  return last > 65535 ? `--port ${port} with ${replicas} replicas runs past port 65535: choose a base port of at most ${65536 - replicas}` : undefined;
}

/** The settings the Docker backend gives one replica of the trial: the single source of every limit and hardening. */
export function replicaSettings(input: ExportInput, replica: number, port: number) {
  const config = replicaConfig(input.spec, { image: input.image, replica, port });
  const host = config.HostConfig ?? {};
  const tmpfs = Object.entries(host.Tmpfs ?? {});
  return {
    user: config.User ?? '',
    nanoCpus: host.NanoCpus ?? 0,
    memoryBytes: host.Memory ?? 0,
    memorySwapBytes: host.MemorySwap ?? 0,
    pidsLimit: host.PidsLimit ?? undefined,
    readOnlyRoot: host.ReadonlyRootfs === true,
    capDrop: host.CapDrop ?? [],
    securityOpt: host.SecurityOpt ?? [],
    mounts: (host.Mounts ?? []).map((mount) => ({ source: mount.Source ?? '', target: mount.Target ?? '', readOnly: mount.ReadOnly === true })),
    tmpfs: tmpfs.map(([path, options]) => ({ path, options, sizeBytes: tmpfsSizeBytes(options) })),
  };
}

const UNIT_BYTES: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** The size= of tmpfs mount options ("rw,noexec,nosuid,size=64m") in bytes; undefined without one. */
export function tmpfsSizeBytes(options: string): number | undefined {
  const match = /(?:^|,)size=(\d+)([bkmg]?)(?:,|$)/i.exec(options);
  return match ? Number(match[1]) * (UNIT_BYTES[(match[2] ?? '').toLowerCase()] ?? 1) : undefined;
}

/** A byte count in Docker's units ("300m" is 300 MiB), exact: whole MiB where it is one. */
export function dockerBytes(bytes: number, mebibyte = 'm'): string {
  return bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2}${mebibyte}` : `${bytes}b`;
}

/** CPUs from nano-CPUs, as written in compose files ("0.75"). */
export const cpusOf = (nanoCpus: number): number => nanoCpus / 1e9;

/**
 * The readiness check run inside the image, which has node but neither curl nor wget: it reads the server's own
 * environment (TUNE_HOST, TUNE_PORT and TUNE_PORT_SLOT, which Swarm fills per task), so one check serves every
 * replica. For a subnet it finds the address the server bound the same way the server does. No '$': compose
 * files would read it as a variable.
 */
export function readinessScript(bind: string): string {
  const host = bind.includes('/')
    ? 'const [n,b]=(e.TUNE_HOST||"").split("/"),d=2**(32-Number(b)),v=a=>a.split(".").reduce((x,y)=>x*256+Number(y),0);' +
      'const h=Object.values(require("os").networkInterfaces()).flat().find(i=>i.family==="IPv4"&&Math.floor(v(i.address)/d)===Math.floor(v(n)/d))?.address;if(!h)process.exit(1);'
    : 'const h=e.TUNE_HOST||"127.0.0.1";';
  return (
    'const e=process.env,p=Number(e.TUNE_PORT)+Number(e.TUNE_PORT_SLOT||1)-1;' +
    host +
    `fetch("http://"+h+":"+p+"${ROUTES.ready}",{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`
  );
}

/** The Docker healthcheck both Compose and Swarm files carry. */
export function dockerHealthcheck(bind: string) {
  return {
    test: ['CMD', 'node', '-e', readinessScript(bind)],
    interval: '10s',
    timeout: '3s',
    retries: 3,
    // The largest built-in model loads and warms up well within the backend's 180 s readiness timeout.
    start_period: '180s',
  };
}

/** Labels marking what an export runs. Never tune.tool: `tune reap` removes every container carrying that. */
export function exportLabels(input: ExportInput): Record<string, string> {
  return { 'tune.export.study': input.study.id, 'tune.export.trial': String(input.trial.number) };
}

/** The lines every exported file opens with: what was measured, which image, which model. */
export function headerLines(input: ExportInput, format: ExportFormat): string[] {
  const { study, trial, spec } = input;
  const why = { confirmed: 'the winner of its confirmation rounds', best: `the best by ${OBJECTIVE_NAME[study.objective]}`, named: 'chosen with --trial' }[input.chosen];
  return [
    `tune export --format ${format}: study ${study.id}, trial ${trial.number} (${why})`,
    `measured: ${measuredLine(trial.metrics)}, at concurrency ${study.concurrency} over ${formatValue(trial.metrics?.windowS ?? study.durationS)} s on ${study.host.cpus} CPUs (${study.host.cpuModel})`,
    `configuration: ${formatParams(trial.params)}`,
    input.image.startsWith(`${IMAGE_REPOSITORY}:`)
      ? `image: ${input.image}: \`tune image build\` builds exactly this tag on this host; a cluster needs it pushed to its registry (docker tag, docker push, then export again with --image REGISTRY/NAME:TAG)`
      : `image: ${input.image}, as given: the ${IMAGE_REPOSITORY} image \`tune image build\` makes, pushed where every node can pull it`,
    `model: ${spec.modelDir} (${spec.server.precision}), mounted read-only at ${MODEL_MOUNT} and served as ${spec.modelName}: POST ${ROUTES.predict(spec.modelName)}`,
  ].map(oneLine);
}

/** "mean 12.3 ms, p99 45.6 ms, 321 req/s", from a trial's metrics. */
export function measuredLine(metrics: TrialMetrics | undefined): string {
  if (metrics === undefined) return 'no metrics stored';
  return `mean ${formatValue(metrics.meanMs)} ms, p99 ${formatValue(metrics.p99Ms)} ms, throughput ${formatValue(metrics.throughputRps)} req/s`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Compose and stack files interpolate `$VAR`: every '$' of a value (a path, a study name) is written '$$'. */
export function escapeInterpolation<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeInterpolation) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeInterpolation(item)])) as T;
  return value;
}

/**
 * YAML text of `value` opened by comment lines. Written as YAML 1.1 (without the directive), so a string a 1.1
 * reader would take for something else ("8501", "yes", "3.9") is quoted, and read by 1.2 readers the same way.
 */
export function yamlText(value: unknown, comments: readonly string[] = []): string {
  const document = new Document(value, { version: '1.1' });
  if (comments.length > 0) document.commentBefore = comments.map((line) => ` ${line}`).join('\n');
  return document.toString({ lineWidth: 0 });
}
