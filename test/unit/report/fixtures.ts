/** Studies with known trials for the report tests: recorded through the real MemoryStorage, or made by hand with exact times. */
import { MemoryStorage } from '../../../src/storage/memory.ts';
import type { DeployMode, StudyRecord, StudyTrials, TrialRecord, TrialState } from '../../../src/domain/records.ts';
import type { FailureKind } from '../../../src/domain/vocabulary.ts';
import { aStudy, recordStudy, someMetrics, someParams, type TrialSpec } from '../storage/fixtures.ts';

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

/**
 * The page with its inline scripts' code left out: the markup a browser would find a reference to fetch in. The
 * code itself (vega's runtime holds namespace URIs and `url(` in strings) is checked by running it: the browser
 * test (test/integration/report-browser.test.ts) asserts the page requests nothing.
 */
export function markupOf(html: string): string {
  return html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
}

/** The Vega specs a report inlines for its live charts. */
export function chartSpecsOf(html: string): unknown[] {
  const json = /<script type="application\/json" id="tune-chart-specs">([\s\S]*?)<\/script>/.exec(html)?.[1];
  return json === undefined ? [] : (JSON.parse(json) as unknown[]);
}

/** When the hand-made trials' clock starts. */
export const CLOCK_START = Date.parse('2026-11-26T01:00:00.000Z');
const at = (seconds: number) => new Date(CLOCK_START + seconds * 1000).toISOString();

/**
 * A trial made by hand, for exact time sums: it ran from `startS` to `endS` seconds after CLOCK_START; with
 * `windowS` it was measured (metrics over that window, mean latency `meanMs`).
 */
export interface TimedTrialSpec {
  number: number;
  startS: number;
  endS?: number; // absent: still running
  state?: TrialState; // default: complete when measured, failed otherwise
  meanMs?: number;
  windowS?: number;
  deploySeconds?: number;
  deployMode?: DeployMode;
  stoppedEarly?: boolean;
  failureKind?: FailureKind;
}

export function timedTrial(spec: TimedTrialSpec): TrialRecord {
  const state = spec.endS === undefined ? 'running' : (spec.state ?? (spec.windowS === undefined ? 'failed' : 'complete'));
  const meanMs = spec.meanMs ?? 50;
  return {
    studyId: aStudy().id,
    number: spec.number,
    state,
    params: { ...someParams, replicas: spec.number + 1 },
    startedAt: at(spec.startS),
    ...(spec.endS !== undefined && { finishedAt: at(spec.endS) }),
    ...(spec.windowS !== undefined && { metrics: someMetrics({ meanMs, windowS: spec.windowS }) }),
    ...(state === 'complete' && { objectiveValue: meanMs }),
    ...(spec.deploySeconds !== undefined && { deploySeconds: spec.deploySeconds }),
    ...(spec.deployMode !== undefined && { deployMode: spec.deployMode }),
    ...(spec.stoppedEarly !== undefined && { stoppedEarly: spec.stoppedEarly }),
    ...(spec.failureKind !== undefined && { failureKind: spec.failureKind, failureMessage: `${spec.failureKind} in trial ${spec.number}` }),
  };
}

/** Warm-up 5 s, window 30 s: a study whose every phase sum (and best-so-far over time) is known exactly. */
export const TIMED_STUDY: StudyTrials = {
  study: aStudy({ warmupS: 5, durationS: 30, earlyStop: true, reconfigure: true }),
  trials: [
    timedTrial({ number: 0, startS: 0, endS: 50, deploySeconds: 10, windowS: 30, meanMs: 80 }), // a row from before deploy modes: fresh
    timedTrial({ number: 1, startS: 50, endS: 70, deploySeconds: 1.5, deployMode: 'reconfigured', windowS: 12, stoppedEarly: true, meanMs: 95 }),
    timedTrial({ number: 2, startS: 70, endS: 112, deploySeconds: 4, deployMode: 'reloaded', windowS: 30, meanMs: 40 }),
    timedTrial({ number: 3, startS: 112, endS: 120, failureKind: 'oom_killed' }), // never came up: no deploy, no warm-up
    timedTrial({ number: 4, startS: 120, endS: 170, deploySeconds: 8, deployMode: 'fresh', windowS: 30, state: 'failed', failureKind: 'slo_violated', meanMs: 30 }),
    timedTrial({ number: 5, startS: 170, endS: 190, deploySeconds: 0.5, deployMode: 'reconfigured', windowS: 7.5, stoppedEarly: true, meanMs: 60 }),
  ],
};
