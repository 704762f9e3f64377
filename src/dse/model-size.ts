/** A model's size: the bytes of every file in its directory (the .onnx files, tokenizer and manifest). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? directoryBytes(path) : entry.isFile() ? statSync(path).size : 0);
  }, 0);
}
