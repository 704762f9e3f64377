/** The benchmark's one table, as Markdown (readable in a terminal and pasteable into RESULTS.md). */
export interface ServingRow {
  model: string;
  floorMs: number;
  perInstanceBatchedMs: number;
  roundTripMs: number;
  rpsBatch1: number;
  rpsBatched: number;
  meanBatch: number;
  errors: number;
}

export function servingTable(rows: ServingRow[], setup: { maxBatch: number; concurrency: number }): string {
  const { maxBatch, concurrency } = setup;
  const header = [
    'model',
    'floor: runner batch 1 (ms)',
    'HTTP c=1 mean (ms)',
    'overhead ×',
    `in-process lift × (batch ${maxBatch})`,
    `c=${concurrency} rps, max batch 1`,
    `c=${concurrency} rps, max batch ${maxBatch}, timeout 0`,
    'batching lift ×',
    'mean batch',
    'errors',
  ];
  const lines = [row(header), row(header.map(() => '---'))];
  for (const r of rows) {
    lines.push(
      row([
        r.model,
        r.floorMs.toFixed(2),
        r.roundTripMs.toFixed(2),
        (r.roundTripMs / r.floorMs).toFixed(2),
        (r.floorMs / r.perInstanceBatchedMs).toFixed(2),
        r.rpsBatch1.toFixed(1),
        r.rpsBatched.toFixed(1),
        (r.rpsBatched / r.rpsBatch1).toFixed(2),
        r.meanBatch.toFixed(1),
        String(r.errors),
      ]),
    );
  }
  return lines.join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
