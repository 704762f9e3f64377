/**
 * How fast an overloaded gan replica refuses: for 0.5, 1 and 2 CPUs, measures the replica's capacity with
 * a closed loop, then offers 10× that rate (open loop, 3 s warm-up then 5 s measured) and prints the latency
 * of its 503 queue_full answers.
 * Goal: refusal p99 < 50 ms. Needs Docker. Run: node --import tsx bench/soak/overload.ts
 */
import { runClosedLoop } from '../../src/load/index.ts';
import { paced, latencyFigures } from '../../support/rejection-probe.ts';
import { deployFixture, GAN_INSTANCE, ganSpec } from '../../support/deploy-fixture.ts';

const PATH = '/v1/models/gan:predict';
const BODY = JSON.stringify({ instances: [GAN_INSTANCE] });
const GOAL_P99_MS = 50;
const OVERLOAD = 10;
const WARMUP_S = 3; // at the offered rate, not measured: the client's connections are opened then
const MEASURE_S = 5;

interface Row {
  cpus: number;
  capacityRps: number;
  offeredRps: number;
  served: number;
  refused: number;
  p50: number;
  p99: number;
}

async function measure(cpus: number): Promise<Row> {
  const fixture = await deployFixture();
  const base = ganSpec(fixture.ganDir, `bench-overload-${cpus}`);
  const spec = { ...base, cpus, memoryMb: 512, server: { ...base.server, maxBatchSize: 8, batchTimeoutUs: 2000, queueBound: 16 } };
  const deployed = await fixture.backend.deploy(spec);
  if (!deployed.ok) throw new Error(deployed.failure.message);
  try {
    const url = deployed.deployment.endpoints[0]!.url;
    const capacity = await runClosedLoop({ urls: [url], path: PATH, concurrency: 16, warmupS: 1, durationS: 3, requestTimeoutMs: 10_000, bodies: () => BODY });
    if (!capacity.ok) throw new Error(capacity.error.message);
    const capacityRps = capacity.result.throughputRps;
    const offeredRps = Math.max(1, Math.round(capacityRps * OVERLOAD));
    const answers = await paced({ url, path: PATH, body: BODY }, offeredRps, MEASURE_S, WARMUP_S);
    const refused = answers.filter((a) => a.status === 503);
    const figures = latencyFigures(refused);
    return { cpus, capacityRps, offeredRps, served: answers.filter((a) => a.status === 200).length, refused: refused.length, p50: figures.p50, p99: figures.p99 };
  } finally {
    await fixture.backend.teardown(deployed.deployment);
  }
}

const rows: Row[] = [];
for (const cpus of [0.5, 1, 2]) rows.push(await measure(cpus));
console.log(`gan replica, queue bound 16, max batch 8; ${OVERLOAD}x capacity offered for ${WARMUP_S} s (warm-up) + ${MEASURE_S} s (measured), open loop; goal: 503 p99 < ${GOAL_P99_MS} ms`);
console.log('cpus  capacity/s  offered/s  served  refused  503 p50 ms  503 p99 ms  goal');
for (const r of rows) {
  const goal = r.p99 < GOAL_P99_MS ? 'met' : 'MISSED';
  console.log(
    `${r.cpus.toFixed(1).padStart(4)}  ${r.capacityRps.toFixed(0).padStart(10)}  ${String(r.offeredRps).padStart(9)}  ${String(r.served).padStart(6)}  ${String(r.refused).padStart(7)}  ${r.p50.toFixed(1).padStart(10)}  ${r.p99.toFixed(1).padStart(10)}  ${goal}`,
  );
}
