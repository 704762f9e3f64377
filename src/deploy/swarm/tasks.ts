/**
 * What a Swarm task's state says about a replica: still starting, running, or ended and why. Swarm reports an
 * exit code but not whether the kernel's OOM killer sent the kill, so an exit by SIGKILL that tune did not ask for
 * is read with the container's own state where its engine can be asked (the backend does), else as an OOM when it
 * ran at its memory limit. Pure.
 */
import type { DeployFailure } from '../backend.ts';

export interface TaskInfo {
  ID: string;
  NodeID?: string;
  Slot?: number;
  DesiredState?: string;
  Status?: {
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

export type TaskReading =
  | { phase: 'starting'; waitingFor?: string } // waitingFor: why the scheduler has not placed it yet
  | { phase: 'running'; containerId: string }
  | { phase: 'ended'; failure: DeployFailure; containerId?: string; exitCode?: number };

const STARTING = new Set(['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting']);
const SIGKILL_EXIT = 137;

export function readTask(task: TaskInfo, replica: number): TaskReading {
  const status = task.Status ?? {};
  const state = status.State ?? 'new';
  const containerId = status.ContainerStatus?.ContainerID || undefined;
  if (state === 'running') return containerId ? { phase: 'running', containerId } : { phase: 'starting' };
  if (STARTING.has(state)) return { phase: 'starting', ...(state === 'pending' && status.Err && { waitingFor: status.Err }) };
  const exitCode = status.ContainerStatus?.ExitCode;
  const said = status.Err || status.Message || state;
  const ended = (failure: DeployFailure): TaskReading => ({ phase: 'ended', failure, ...(containerId && { containerId }), ...(exitCode !== undefined && { exitCode }) });
  if (state === 'orphaned') return ended({ kind: 'node_down', message: `replica ${replica}'s node stopped answering the swarm (task ${state}): check docker node ls` });
  if (state === 'rejected') {
    if (/no such image|not found|pull access denied|manifest unknown/i.test(said)) {
      return ended({ kind: 'image_missing', message: `replica ${replica}: the node has no server image (${said}): push it with tune image push --registry HOST:PORT` });
    }
    if (/invalid mount|bind source path/i.test(said)) {
      return ended({ kind: 'invalid_config', message: `replica ${replica} could not mount its model on the node (${said}): the model directory must exist on every node` });
    }
    return ended({ kind: 'crashed', message: `replica ${replica} was rejected by its node: ${said}` });
  }
  if (exitCode === SIGKILL_EXIT) return ended({ kind: 'crashed', message: `replica ${replica} was killed (exit ${SIGKILL_EXIT}): ${said}` });
  return ended({ kind: 'crashed', message: `replica ${replica} exited${exitCode !== undefined ? ` with code ${exitCode}` : ''}: ${said}` });
}

/** Whether a pending task's reason says no node can hold it (as opposed to a node still pulling or starting). */
export function unschedulableReason(waitingFor: string | undefined): string | undefined {
  if (waitingFor === undefined) return undefined;
  return /no suitable node|insufficient resources|constraint/i.test(waitingFor) ? waitingFor : undefined;
}

/** The latest task of each slot the service wants running (Swarm keeps ended tasks in the list too). */
export function currentTasks(tasks: readonly TaskInfo[]): TaskInfo[] {
  const bySlot = new Map<number, TaskInfo>();
  for (const task of tasks) {
    const slot = task.Slot ?? 0;
    const held = bySlot.get(slot);
    if (held === undefined || task.DesiredState === 'running' || held.DesiredState !== 'running') bySlot.set(slot, task);
  }
  return [...bySlot.entries()].sort(([a], [b]) => a - b).map(([, task]) => task);
}
