import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cpuSecondsBetween, peakMemoryBytes } from '../../../src/deploy/docker/usage.ts';

const snapshot = (cpuNs: number, usage: number, maxUsage?: number) => ({
  cpu_stats: { cpu_usage: { total_usage: cpuNs } },
  memory_stats: maxUsage === undefined ? { usage } : { usage, max_usage: maxUsage },
});

describe('usage', () => {
  test('CPU seconds are the total_usage delta in nanoseconds', () => {
    assert.equal(cpuSecondsBetween(snapshot(1e9, 0), snapshot(3.5e9, 0)), 2.5);
  });

  test('a counter that went backwards (restarted container) gives 0, not a negative figure', () => {
    assert.equal(cpuSecondsBetween(snapshot(5e9, 0), snapshot(1e9, 0)), 0);
  });

  test('cgroup v1 peak uses the kernel high-water mark', () => {
    assert.equal(peakMemoryBytes([snapshot(0, 100, 900), snapshot(0, 300, 900)]), 900);
  });

  test('cgroup v2 (no max_usage) falls back to the largest sample', () => {
    assert.equal(peakMemoryBytes([snapshot(0, 100), snapshot(0, 700), snapshot(0, 200)]), 700);
    assert.equal(peakMemoryBytes([{}]), 0);
  });
});
