/**
 * Pads a batch of token sequences to the longest one: pad id in the ids, 0 in the attention mask, so the
 * padded positions are ignored by attention. Returns int64 data ready for [batch, length] tensors.
 */
export interface PaddedBatch {
  batch: number;
  length: number;
  ids: BigInt64Array;
  mask: BigInt64Array;
}

export function padBatch(sequences: readonly number[][], padId: number): PaddedBatch {
  const length = Math.max(...sequences.map((sequence) => sequence.length));
  const ids = new BigInt64Array(sequences.length * length).fill(BigInt(padId));
  const mask = new BigInt64Array(sequences.length * length);
  sequences.forEach((sequence, row) => {
    sequence.forEach((id, column) => {
      ids[row * length + column] = BigInt(id);
      mask[row * length + column] = 1n;
    });
  });
  return { batch: sequences.length, length, ids, mask };
}
