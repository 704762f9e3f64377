/**
 * Why int8 and fp32 disagree on a classifier: the fp32 model's top-1 margin (best score minus runner-up) on
 * each workload instance, for the instances where int8 agrees and where it does not. Run on the built-in
 * models (synthetic weights) to see whether the disagreements are near-ties that any perturbation flips.
 *
 *   node --import tsx bench/dse/fidelity-margins.ts bert 64
 */
import { fidelityInstances, topMargin } from '../../src/dse/variants/fidelity.ts';
import { ensureModel, isBuiltinModel } from '../../src/models/index.ts';
import { openRunner, readManifest } from '../../src/server/model-loader.ts';
import type { Classification } from '../../src/server/runners/classification.ts';
import { sessionOpener } from '../../src/server/session.ts';
import { loadTokenizer } from '../../src/server/tokenizer-loader.ts';
import { quantile } from 'simple-statistics';

const [model = 'bert', countText = '64'] = process.argv.slice(2);
if (!isBuiltinModel(model)) throw new Error(`usage: fidelity-margins.ts <bert|resnet|gan> [instances]`);
const made = fidelityInstances(model, Number(countText));
if (!made.ok) throw new Error(made.error.message);
const instances = made.instances;

async function classify(precision: 'fp32' | 'int8', level: 'disabled' | 'all'): Promise<Classification[]> {
  const dir = await ensureModel({ model: model as 'bert', precision });
  const manifest = readManifest(dir);
  if (!manifest.ok) throw new Error(manifest.message);
  const openSession = sessionOpener({ intraOpThreads: 1, interOpThreads: 0, executionMode: 'sequential', graphOptimizationLevel: level });
  const runner = await openRunner(dir, manifest.manifest, { openSession, loadTokenizer });
  const parsed = instances.map((i) => {
    const one = runner.parse(i);
    if (!one.ok) throw new Error(one.error.message);
    return one.value;
  });
  const out: Classification[] = [];
  for (let s = 0; s < parsed.length; s += 8) out.push(...((await runner.run(parsed.slice(s, s + 8))) as Classification[]));
  await runner.close();
  return out;
}

const [reference, int8] = [await classify('fp32', 'disabled'), await classify('int8', 'all')];
const margin = (c: Classification) => topMargin(c.scores);
const agree = reference.filter((c, i) => c.label === int8[i]!.label).map(margin);
const differ = reference.filter((c, i) => c.label !== int8[i]!.label).map(margin);
const row = (name: string, values: number[]) =>
  `${name.padEnd(10)} ${String(values.length).padStart(4)}  ${values.length ? [0.1, 0.5, 0.9].map((q) => quantile(values, q).toFixed(4).padStart(8)).join(' ') : '       –'}`;
console.log(`${model}: fp32 top-1 margin (share of the score range) where int8 agrees / differs`);
console.log(`group         n       p10      p50      p90`);
console.log(row('agree', agree));
console.log(row('differ', differ));
console.log(`top-1 agreement: ${((100 * agree.length) / reference.length).toFixed(1)}%`);
