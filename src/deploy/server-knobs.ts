/**
 * Changing a running replica's server knobs through its config route (src/server/README.md): the same
 * environment names and values a replica is started with.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { knobEnv, type ServerKnobs } from '../server/config.ts';
import { ROUTES, SERVER_ENV, type ConfigChangeRequest, type ErrorBody, type ServerKnobName } from '../server/protocol.ts';
import type { Endpoint } from './backend.ts';

/** A replica answers `busy` while the last requests of a window drain; it is asked again this often, this long. */
const BUSY_RETRY_MS = 100;
const BUSY_PATIENCE_MS = 5_000;
/** New sessions of the largest built-in load in seconds; a reload gets as long as a replica has to start. */
const REQUEST_TIMEOUT_MS = 180_000;

export type KnobChange = { ok: true } | { ok: false; reason: string };

/** Sends the changed knobs to every replica at once; ok when all applied them. */
export async function changeServerKnobs(endpoints: readonly Endpoint[], server: ServerKnobs, knobs: readonly ServerKnobName[], signal?: AbortSignal): Promise<KnobChange> {
  if (knobs.length === 0) return { ok: true };
  const env = knobEnv(server);
  const request: ConfigChangeRequest = { env: Object.fromEntries(knobs.map((knob) => [SERVER_ENV[knob], env[SERVER_ENV[knob]]])) };
  const body = JSON.stringify(request);
  const results = await Promise.all(endpoints.map((endpoint) => changeReplica(endpoint, body, signal)));
  return results.find((r) => !r.ok) ?? { ok: true };
}

async function changeReplica(endpoint: Endpoint, body: string, signal?: AbortSignal): Promise<KnobChange> {
  const deadline = Date.now() + BUSY_PATIENCE_MS;
  for (;;) {
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      response = await fetch(endpoint.url + ROUTES.config, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      return { ok: false, reason: `replica ${endpoint.replica} did not answer its config route: ${(error as Error).message}` };
    }
    const answer = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
    if (response.ok) return { ok: true };
    if (answer.error?.code === 'busy' && Date.now() < deadline && !signal?.aborted) {
      await sleep(BUSY_RETRY_MS);
      continue;
    }
    return { ok: false, reason: `replica ${endpoint.replica} refused the change (HTTP ${response.status} ${answer.error?.code ?? ''}): ${answer.error?.message ?? ''}`.trim() };
  }
}
