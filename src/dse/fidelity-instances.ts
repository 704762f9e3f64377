/**
 * The inputs of the fidelity check: distinct instances from the same seeded workload generator the load
 * generator uses, so the outputs compared are those of the requests that were measured. A generator's pool
 * is small for images (16), so further seeds extend it.
 */
import { workloadFor, type WorkloadModel } from '../load/workloads/index.ts';

export type InstancesResult = { ok: true; instances: unknown[] } | { ok: false; error: { code: string; message: string } };

const MAX_SEEDS = 64;

export function fidelityInstances(model: WorkloadModel, count: number, firstSeed = 1): InstancesResult {
  const seen = new Set<string>();
  const instances: unknown[] = [];
  for (let seed = firstSeed; seed < firstSeed + MAX_SEEDS && instances.length < count; seed++) {
    const made = workloadFor(model, { seed });
    if (!made.ok) return made;
    for (let drawn = 0; drawn < count && instances.length < count; drawn++) {
      const body = made.workload.bodies();
      if (seen.has(body)) break; // the pool came round: this seed has nothing new
      seen.add(body);
      instances.push(...(JSON.parse(body) as { instances: unknown[] }).instances);
    }
  }
  return { ok: true, instances: instances.slice(0, count) };
}
