/** Studies with known trials for the report tests, recorded through the real MemoryStorage. */
import { MemoryStorage } from '../../../src/storage/memory.ts';
import type { StudyRecord, StudyTrials } from '../../../src/domain/records.ts';
import { aStudy, recordStudy, someParams, type TrialSpec } from '../storage/fixtures.ts';

export function studyWith(overrides: Partial<StudyRecord>, specs: readonly TrialSpec[]): StudyTrials {
  const storage = new MemoryStorage();
  const study = aStudy(overrides);
  recordStudy(storage, study, specs);
  return { study, trials: storage.trials(study.id) };
}

/** Mean latencies as trial specs; null marks a failed (OOM-killed) trial. */
export const means = (...values: (number | null)[]): TrialSpec[] =>
  values.map((v) => (v === null ? { failure: 'oom_killed' } : { meanMs: v }));

/** A complete trial with its latency, cost and energy, the fixture's configuration with `replicas` replicas. */
export const costedTrial = (meanMs: number, p99Ms: number, usd: number, joules: number, replicas: number): TrialSpec => ({
  meanMs,
  params: { ...someParams, replicas },
  overrides: { p99Ms, usdPerMillionRequests: usd, joulesPerRequest: joules },
});

/** Anything that would make a browser fetch something: a URL, a src/href attribute, a stylesheet link, an import. */
export const EXTERNAL_REFERENCE = /https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\/|\ssrc=|\shref=|<link\b|@import|url\((?!#)/i;
