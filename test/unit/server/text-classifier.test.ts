import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { writeTinyTextClassifier } from '../models/tiny-models.ts';
import { textClassifierRunnerSuite } from '../../../support/text-classifier-suite.ts';

const root = mkdtempSync(join(tmpdir(), 'tune-tiny-text-classifier-'));
after(() => rmSync(root, { recursive: true, force: true }));

textClassifierRunnerSuite('text classifier runner over a tiny model of the bert architecture', async () => {
  writeTinyTextClassifier(root);
  return root;
});
