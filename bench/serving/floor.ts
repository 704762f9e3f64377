/**
 * The latency floor: the model's runner called directly, one instance at a time, with no HTTP, JSON or
 * queue in between (for marian, the whole encoder + greedy decode loop: what one translation costs).
 */
import { openRunner, type TokenizerLoader } from '../../src/server/model-loader.ts';
import type { ModelManifest } from '../../src/models/manifest.ts';
import type { Runner } from '../../src/server/runners/runner.ts';
import { sessionOpener, type SessionKnobs } from '../../src/server/session.ts';

export interface FloorResult {
  meanMs: number;
  runs: number;
}

export function measureFloor(
  modelDir: string,
  manifest: ModelManifest,
  knobs: SessionKnobs,
  loadTokenizer: TokenizerLoader,
  bodies: () => string,
  durationS: number,
): Promise<FloorResult> {
  return openRunner(modelDir, manifest, { openSession: sessionOpener(knobs), loadTokenizer }, (runner) => timeRuns(runner, bodies, durationS));
}

async function timeRuns<I>(runner: Runner<I>, bodies: () => string, durationS: number): Promise<FloorResult> {
  const items = Array.from({ length: 64 }, () => firstInstance(runner, bodies()));
  await runner.run([items[0]!]); // warm-up, as the server does
  let total = 0;
  let runs = 0;
  const end = performance.now() + durationS * 1000;
  while (performance.now() < end) {
    const item = items[runs % items.length]!;
    const started = performance.now();
    await runner.run([item]);
    total += performance.now() - started;
    runs++;
  }
  await runner.close();
  return { meanMs: total / runs, runs };
}

function firstInstance<I>(runner: Runner<I>, body: string): I {
  const instance = (JSON.parse(body) as { instances: unknown[] }).instances[0];
  const parsed = runner.parse(instance);
  if (!parsed.ok) throw new Error(`workload instance refused: ${parsed.error.code}: ${parsed.error.message}`);
  return parsed.value;
}
