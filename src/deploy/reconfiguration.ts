/**
 * What it takes to turn a running deployment into the next configuration, decided from the two specs alone so
 * the backends, the trial runner and the cost model all read one rule:
 * - `fresh`: nothing is kept. A different model, precision (another model directory is mounted) or lane (other
 *   CPUs), or nothing running yet.
 * - `reloaded`: the replicas are kept but need new ONNX Runtime sessions, because threads, execution mode or graph
 *   optimization level changed; resources and batching change in place as for `reconfigured`.
 * - `reconfigured`: only knobs a running replica takes without reloading changed: CPU quota and memory (the
 *   engine's update of a running container), batch size, batch timeout and queue bound (the server's config route).
 * A change of replica count adds or removes replicas beside either kind; `added` says how many start from scratch.
 */
import type { DeployMode } from '../domain/records.ts';
import { SERVER_KNOBS, SESSION_KNOBS, type ServerKnobName } from '../server/protocol.ts';
import type { DeploymentSpec } from './backend.ts';

export interface Move {
  mode: DeployMode;
  /** Replicas started from scratch: all of them when fresh, else those beyond the running count. */
  added: number;
  /** Running replicas removed (more were running than the next configuration has). */
  removed: number;
  /** The CPU quota or memory limit of the kept replicas changes. */
  resources: boolean;
  /** Server knobs whose values change, by name (the server's config route takes them; SESSION_KNOBS reload). */
  serverChanges: ServerKnobName[];
}

export function moveBetween(running: DeploymentSpec | undefined, next: DeploymentSpec): Move {
  const fresh: Move = { mode: 'fresh', added: next.replicas, removed: running?.replicas ?? 0, resources: false, serverChanges: [] };
  if (running === undefined) return fresh;
  const sameDeployment =
    running.studyId === next.studyId &&
    running.modelName === next.modelName &&
    running.modelDir === next.modelDir &&
    running.server.precision === next.server.precision &&
    (running.lane ?? 0) === (next.lane ?? 0);
  if (!sameDeployment) return fresh;
  const serverChanges = SERVER_KNOBS.filter((knob) => running.server[knob] !== next.server[knob]);
  const reload = serverChanges.some((knob) => (SESSION_KNOBS as readonly string[]).includes(knob));
  return {
    mode: reload ? 'reloaded' : 'reconfigured',
    added: Math.max(0, next.replicas - running.replicas),
    removed: Math.max(0, running.replicas - next.replicas),
    resources: running.cpus !== next.cpus || running.memoryMb !== next.memoryMb,
    serverChanges,
  };
}
