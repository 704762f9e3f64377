/**
 * Writes a recorded-traffic file for PaddleOCR's recognizer tuned as a user model: real text lines (the ocr
 * workload's renderer, DejaVu fonts) resized to height 48, normalized and padded to 320 as PaddleOCR's
 * resize_norm_img does, one V2 `inputs` object per line ([1, 3, 48, 320] FP32), values rounded to 3 decimals.
 *   node --import tsx bench/user-models/write-workload.ts OUT.jsonl [LINES]
 */
import { writeFileSync } from 'node:fs';
import { recognizerBatch } from '../quantize/ocr-inputs.ts';

const [out, count = '32'] = process.argv.slice(2);
if (out === undefined) throw new Error('usage: write-workload.ts OUT.jsonl [LINES]');
const lines = Number(count);
const batch = recognizerBatch(lines, 7, 320);
const [, channels, height, width] = batch.dims;
const item = channels * height * width;
const rows = Array.from({ length: lines }, (_, n) => {
  const data = Array.from(batch.data.subarray(n * item, (n + 1) * item), (v) => Math.round(v * 1000) / 1000);
  return JSON.stringify({ inputs: [{ name: 'x', shape: [1, channels, height, width], datatype: 'FP32', data }] });
});
writeFileSync(out, `${rows.join('\n')}\n`);
console.log(`${lines} lines [1, ${channels}, ${height}, ${width}] → ${out}`);
