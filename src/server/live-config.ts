/**
 * Live reconfiguration (ROUTES.config): the tuner keeps a replica between trials and changes its tuned knobs in
 * place. Values are validated by the environment's own parser (config.ts), so a change is accepted or refused
 * exactly as the same environment would be. Batch limits apply to the batcher at once; session options
 * (threads, execution mode, graph optimization level) open new sessions on the inference thread, warmed up and
 * swapped in, while the replica reports not ready. A change is refused while anything is queued or running:
 * the tuner changes a replica only between measurements, and a reload under load would distort both.
 */
import { fail, succeed, type Outcome } from './api-error.ts';
import { knobEnv, knobsOf, parseServerKnobs, type ServerKnobs } from './config.ts';
import type { LogEvent } from './log.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ModelHost } from './model-host.ts';
import type { HostedModel } from './served-model.ts';
import {
  SERVER_ENV,
  SERVER_KNOBS,
  SESSION_KNOBS,
  type ConfigApplied,
  type ConfigChangeResponse,
  type CurrentConfigResponse,
  type KnobEnvName,
  type ServerKnobName,
} from './protocol.ts';

export interface LiveConfigDeps {
  host: ModelHost;
  metrics: ServerMetrics;
  /** One JSON line per applied change or failed reload. */
  log: LogEvent;
  /** Milliseconds, for reload_ms. */
  now: () => number;
}

const KNOB_ENV_NAMES: readonly string[] = SERVER_KNOBS.map((knob) => SERVER_ENV[knob]);
const DEPLOYMENT_ENV_NAMES: readonly string[] = Object.values(SERVER_ENV).filter((name) => !KNOB_ENV_NAMES.includes(name));

export class LiveConfig {
  private knobs: ServerKnobs;
  private reloading = false;

  constructor(
    initial: ServerKnobs,
    private readonly deps: LiveConfigDeps,
  ) {
    this.knobs = knobsOf(initial);
  }

  current(): CurrentConfigResponse {
    return { env: knobEnv(this.knobs) };
  }

  /** A POST body, validated, then applied whole or not at all. */
  async change(body: unknown): Promise<Outcome<ConfigChangeResponse>> {
    const requested = requestedEnv(body);
    if (!requested.ok) return requested;
    const parsed = parseServerKnobs(requested.value, this.knobs);
    if (!parsed.ok) return fail('bad_config', parsed.message);
    const idle = this.idleModel();
    if (!idle.ok) return idle;
    const next = parsed.knobs;
    const changed = SERVER_KNOBS.filter((knob) => next[knob] !== this.knobs[knob]);
    if (changed.length === 0) return succeed(this.answer('unchanged', 0));
    if (!changed.some((knob) => (SESSION_KNOBS as readonly ServerKnobName[]).includes(knob))) {
      idle.value.applyBatching(next);
      return succeed(this.applied('reconfigured', changed, next, 0));
    }
    return this.reload(changed, next);
  }

  /** The serving model when nothing runs on it: busy while a reload is under way or anything is queued or running. */
  private idleModel(): Outcome<HostedModel> {
    if (this.reloading) return fail('busy', 'a reload of the sessions is under way: retry once it has finished');
    const model = this.deps.host.servingModel();
    if (model === undefined) return { ok: false, error: this.deps.host.unavailable() ?? { code: 'not_ready', message: `model ${this.deps.host.name} is not serving` } };
    const activity = model.activity();
    if (activity !== undefined) {
      return fail('busy', `requests are in flight: ${activity}; retry once the load has stopped (the configuration changes only between measurements)`);
    }
    return succeed(model);
  }

  private async reload(changed: ServerKnobName[], next: ServerKnobs): Promise<Outcome<ConfigChangeResponse>> {
    const started = this.deps.now();
    this.reloading = true;
    // `next` holds both halves: the session options and the batch limits applied with them.
    const reloaded = await this.deps.host.whileReloading((model) => model.reloadSessions(next, next)).finally(() => {
      this.reloading = false;
    });
    const reloadMs = Math.round(this.deps.now() - started);
    if (!reloaded.ok) {
      const names = changed.map((knob) => SERVER_ENV[knob]).join(', ');
      const message = `the reload for ${names} failed, ${afterFailure(this.deps.host)}: ${reloaded.error.message}`.replace(/\s+/g, ' ');
      this.deps.metrics.reloadFailures.inc();
      this.deps.log('config_reload_failed', { reloadMs, requested: changes(changed, this.knobs, next), message });
      return fail('reload_failed', message);
    }
    return succeed(this.applied('reloaded', changed, next, reloadMs));
  }

  private applied(applied: Exclude<ConfigApplied, 'unchanged'>, changed: ServerKnobName[], next: ServerKnobs, reloadMs: number): ConfigChangeResponse {
    const previous = this.knobs;
    this.knobs = next;
    this.deps.metrics.reconfigurations.inc(applied);
    this.deps.log('config_changed', { applied, reloadMs, changed: changes(changed, previous, next) });
    return this.answer(applied, reloadMs);
  }

  private answer(applied: ConfigApplied, reloadMs: number): ConfigChangeResponse {
    return { applied, reload_ms: reloadMs, env: knobEnv(this.knobs) };
  }
}

/** The body's "env" as names to strings, or why not: bad_request for its shape, bad_config for a name that is not a tuned knob. */
function requestedEnv(body: unknown): Outcome<Partial<Record<KnobEnvName, string>>> {
  if (!isPlainObject(body)) return fail('bad_request', 'request body must be a JSON object {"env": {"TUNE_MAX_BATCH_SIZE": "8", ...}}');
  const env = body.env;
  if (!isPlainObject(env)) return fail('bad_request', '"env" must be an object of environment names to string values');
  for (const [name, value] of Object.entries(env)) {
    if (!KNOB_ENV_NAMES.includes(name)) return fail('bad_config', notLive(name));
    if (typeof value !== 'string') {
      return fail('bad_request', `env.${name} must be a string, as in the environment (got ${value === null ? 'null' : typeof value})`);
    }
  }
  return succeed(env as Partial<Record<KnobEnvName, string>>);
}

/** What a failed reload left: in the usual case, the old sessions serving. */
function afterFailure(host: ModelHost): string {
  if (host.phase === 'failed') return 'and the inference thread was lost';
  if (host.phase === 'stopping') return 'and the replica is stopping';
  return 'still serving with the previous configuration';
}

function notLive(name: string): string {
  const what = DEPLOYMENT_ENV_NAMES.includes(name) ? `${name} is fixed when the replica starts` : `${JSON.stringify(name.slice(0, 64))} is not a tuned knob`;
  return `${what}: changing it needs a new deployment (this route changes only ${KNOB_ENV_NAMES.join(', ')})`;
}

/** Changed knobs by environment name, from and to, as the environment spells them. */
function changes(changed: ServerKnobName[], from: ServerKnobs, to: ServerKnobs): Record<string, { from: string; to: string }> {
  return Object.fromEntries(changed.map((knob) => [SERVER_ENV[knob], { from: String(from[knob]), to: String(to[knob]) }]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
