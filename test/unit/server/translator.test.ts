import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { writeTinyTranslator } from '../models/tiny-models.ts';
import { translatorRunnerSuite } from '../../../support/translator-suite.ts';

const root = mkdtempSync(join(tmpdir(), 'tune-tiny-translator-'));
after(() => rmSync(root, { recursive: true, force: true }));

translatorRunnerSuite('translator runner over a tiny model of the marian architecture', async () => {
  writeTinyTranslator(root);
  return root;
});
