/**
 * Samples one container's stats about every second between start and stop, for CPU time and peak memory; and a
 * deployment's replicas together.
 */
import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Endpoint, ResourceUsage } from '../backend.ts';
import { cpuSecondsBetween, peakMemoryBytes, type StatsSnapshot } from './usage.ts';

const SAMPLE_INTERVAL_MS = 1000;

export interface ReplicaUsage {
  cpuSeconds: number;
  peakMemoryBytes: number;
}

export type StopMeter = () => Promise<ReplicaUsage>;

export async function startMeter(container: Docker.Container): Promise<StopMeter> {
  const read = async (): Promise<StatsSnapshot> => (await container.stats({ stream: false, 'one-shot': true })) as StatsSnapshot;
  const first = await read();
  const samples: StatsSnapshot[] = [first];
  const stopping = new AbortController();
  // Ends by itself once the container is gone, and never holds the process open: a meter nobody stops
  // (a measurement that threw) must not sample forever.
  const sampling = (async () => {
    while (!stopping.signal.aborted) {
      await sleep(SAMPLE_INTERVAL_MS, undefined, { signal: stopping.signal, ref: false }).catch(() => undefined);
      if (stopping.signal.aborted) break;
      const sample = await read().catch(() => undefined);
      if (sample === undefined) break;
      samples.push(sample);
    }
  })();
  return async () => {
    stopping.abort();
    await sampling;
    const last = await read().catch(() => samples.at(-1) ?? first);
    return { cpuSeconds: cpuSecondsBetween(first, last), peakMemoryBytes: peakMemoryBytes([...samples, last]) };
  };
}

/** A meter on every replica's container; the returned function reads them all, per replica and summed. */
export async function startReplicaMeters(endpoints: readonly Endpoint[], containerOf: (endpoint: Endpoint) => Docker.Container): Promise<() => Promise<ResourceUsage>> {
  const stops = await Promise.all(endpoints.map((endpoint) => startMeter(containerOf(endpoint))));
  return async () => {
    const measured = await Promise.all(stops.map((stop) => stop()));
    const perReplica = measured.map((usage, i) => ({ replica: endpoints[i]?.replica ?? i, ...usage }));
    return {
      cpuSeconds: perReplica.reduce((sum, r) => sum + r.cpuSeconds, 0),
      peakMemoryBytes: perReplica.reduce((sum, r) => sum + r.peakMemoryBytes, 0),
      perReplica,
    };
  };
}
