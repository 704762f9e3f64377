/**
 * Resource figures from the engine's stats snapshots. Pure: snapshots in, CPU seconds and peak bytes out.
 */
export interface StatsSnapshot {
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; max_usage?: number };
}

export function cpuNanos(stats: StatsSnapshot): number {
  return stats.cpu_stats?.cpu_usage?.total_usage ?? 0;
}

/** CPU seconds between two snapshots of the same container. */
export function cpuSecondsBetween(first: StatsSnapshot, last: StatsSnapshot): number {
  return Math.max(0, cpuNanos(last) - cpuNanos(first)) / 1e9;
}

/**
 * Peak memory: cgroup v1 reports the high-water mark (max_usage, since the container started, so it
 * includes model loading); cgroup v2 does not, so the largest sampled usage stands in for it.
 */
export function peakMemoryBytes(samples: StatsSnapshot[]): number {
  let peak = 0;
  for (const sample of samples) {
    peak = Math.max(peak, sample.memory_stats?.max_usage ?? 0, sample.memory_stats?.usage ?? 0);
  }
  return peak;
}
