import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeScratchDir } from '../../../src/models/scratch-dir.ts';

const parent = mkdtempSync(join(tmpdir(), 'tune-scratch-'));
after(() => rmSync(parent, { recursive: true, force: true }));

test("a new scratch directory first removes the model's scratch left by processes that are gone, and nothing else", () => {
  const leftovers = ['marian.tmp-111-aaaa', 'marian.tmp-222-bbbb', 'marian.tmp-odd', 'bert.tmp-111-cccc', 'marian'];
  for (const name of leftovers) mkdirSync(join(parent, name));
  const scratch = makeScratchDir(join(parent, 'marian'), (pid) => pid === 222);
  assert.match(scratch, new RegExp(`marian\\.tmp-${process.pid}-[0-9a-f]{8}$`));
  assert.deepEqual(readdirSync(parent).sort(), ['bert.tmp-111-cccc', 'marian', 'marian.tmp-222-bbbb', 'marian.tmp-odd', scratch.split('/').at(-1)!].sort());
});
