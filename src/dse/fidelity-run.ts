/**
 * Running a model variant in-process on the workload's instances to get its outputs for the fidelity check:
 * the server's own runners (the same parsing, batching and greedy decoding as in the containers), opened on
 * the variant's directory with its graph-optimization level, without HTTP or Docker.
 */
import type { GraphOptimizationLevel } from '../server/config.ts';
import { openRunner, readManifest } from '../server/model-loader.ts';
import type { Runner } from '../server/runners/runner.ts';
import { sessionOpener } from '../server/session.ts';
import { loadTokenizer } from '../server/tokenizer-loader.ts';
import { topMargin, type Outputs } from './fidelity.ts';

export type OutputsResult = { ok: true; outputs: Outputs } | { ok: false; error: { code: string; message: string } };

const BATCH = 8;

export async function variantOutputs(modelDir: string, graphLevel: GraphOptimizationLevel, instances: readonly unknown[]): Promise<OutputsResult> {
  const manifest = readManifest(modelDir);
  if (!manifest.ok) return { ok: false, error: { code: manifest.code, message: manifest.message } };
  // One intra-op thread: the machine is shared with the containers being measured, and speed is not the point here.
  const openSession = sessionOpener({ intraOpThreads: 1, interOpThreads: 0, executionMode: 'sequential', graphOptimizationLevel: graphLevel });
  const predictions = await predictAll(await openRunner(modelDir, manifest.manifest, { openSession, loadTokenizer }), instances);
  if (!predictions.ok) return predictions;
  return { ok: true, outputs: toOutputs(predictions.values) };
}

async function predictAll<I>(runner: Runner<I>, instances: readonly unknown[]): Promise<{ ok: true; values: unknown[] } | { ok: false; error: { code: string; message: string } }> {
  try {
    const parsed: I[] = [];
    for (const [index, instance] of instances.entries()) {
      const one = runner.parse(instance);
      if (!one.ok) return { ok: false, error: { code: one.error.code, message: `workload instance ${index}: ${one.error.message}` } };
      parsed.push(one.value);
    }
    const values: unknown[] = [];
    for (let start = 0; start < parsed.length; start += BATCH) values.push(...(await runner.run(parsed.slice(start, start + BATCH))));
    return { ok: true, values };
  } finally {
    await runner.close();
  }
}

/** Classifiers answer {label, scores}; translators {token_ids}. */
function toOutputs(predictions: readonly unknown[]): Outputs {
  const first = predictions[0] as Record<string, unknown> | undefined;
  if (first !== undefined && 'token_ids' in first) {
    return { kind: 'tokens', sequences: predictions.map((p) => (p as { token_ids: number[] }).token_ids) };
  }
  const classified = predictions as { label: number; scores: number[] }[];
  return { kind: 'labels', labels: classified.map((p) => p.label), margins: classified.map((p) => topMargin(p.scores)) };
}
