/**
 * The latency floor: the model's runner called directly, with no HTTP, JSON or queue in between (for
 * marian, the whole encoder + greedy decode loop: what one translation costs). Also times batches of N,
 * whose per-instance time bounds what server-side batching can gain.
 */
import type { ModelManifest } from '../../src/models/manifest.ts';
import { openRunner, type TokenizerLoader } from '../../src/server/model-loader.ts';
import type { Runner } from '../../src/server/runners/runner.ts';
import { sessionOpener, type SessionKnobs } from '../../src/server/session.ts';

export interface Floor {
  /** Mean ms of batches of `size` instances over about durationS (at least two runs). */
  timeBatches(size: number, durationS: number): Promise<number>;
  close(): Promise<void>;
}

export async function openFloor(modelDir: string, manifest: ModelManifest, knobs: SessionKnobs, loadTokenizer: TokenizerLoader, bodies: () => string): Promise<Floor> {
  const runner = await openRunner(modelDir, manifest, { openSession: sessionOpener(knobs), loadTokenizer });
  const items = Array.from({ length: 64 }, () => firstInstance(runner, bodies()));
  await runner.run([items[0]!]); // warm-up, as the server does
  return { timeBatches: (size, durationS) => timeBatches(runner, items, size, durationS), close: () => runner.close() };
}

async function timeBatches<I>(runner: Runner<I>, items: I[], size: number, durationS: number): Promise<number> {
  const batchAt = (run: number) => Array.from({ length: size }, (_, i) => items[(run * size + i) % items.length]!);
  let total = 0;
  let runs = 0;
  const end = performance.now() + durationS * 1000;
  while (performance.now() < end || runs < 2) {
    const batch = batchAt(runs);
    const started = performance.now();
    await runner.run(batch);
    total += performance.now() - started;
    runs++;
  }
  return total / runs;
}

function firstInstance<I>(runner: Runner<I>, body: string): I {
  const instance = (JSON.parse(body) as { instances: unknown[] }).instances[0];
  const parsed = runner.parse(instance);
  if (!parsed.ok) throw new Error(`workload instance refused: ${parsed.error.code}: ${parsed.error.message}`);
  return parsed.value;
}
