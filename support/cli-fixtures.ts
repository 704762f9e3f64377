/**
 * Files the CLI fuzzer points options at: a good and several broken search spaces, a database holding one
 * study, a file that is not a database, model directories without or with a broken manifest.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareStudy } from '../src/app/study-setup.ts';
import { SqliteStorage } from '../src/storage/sqlite.ts';

export const KNOWN_STUDY = 'fuzz-known';

export interface CliFixtures {
  dir: string;
  spaces: string[];
  dbs: string[];
  models: string[];
}

function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

export async function cliFixtures(): Promise<CliFixtures> {
  const dir = mkdtempSync(join(tmpdir(), 'tune-cli-fuzz-'));
  const gan = readFileSync(new URL('../search-spaces/gan.json', import.meta.url), 'utf8');
  const files: Record<string, string | Buffer> = {
    'good.json': gan,
    'empty.json': '',
    'deep.json': `{"parameters": [${'['.repeat(20_000)}${']'.repeat(20_000)}]}`,
    'utf16.json': utf16(gan),
    'newline-name.json': '{"parameters": [{"name": "a\\nb", "kind": "int", "low": 1, "high": 2}]}',
    'truncated.json': gan.slice(0, gan.length / 2),
    'not-a-db.db': 'this is not SQLite\n',
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  mkdirSync(join(dir, 'no-manifest'));
  mkdirSync(join(dir, 'bad-manifest'));
  writeFileSync(join(dir, 'bad-manifest', 'manifest.json'), '{"kind": ');
  const studies = join(dir, 'studies.db');
  await storeKnownStudy(studies);
  return {
    dir,
    spaces: ['good.json', 'empty.json', 'deep.json', 'utf16.json', 'newline-name.json', 'truncated.json', 'missing.json', '.'].map((f) => join(dir, f)),
    dbs: [studies, join(dir, 'not-a-db.db'), join(dir, 'absent.db'), dir],
    models: ['gan', 'marian', 'resnet', 'bert', 'nope', join(dir, 'no-manifest'), join(dir, 'bad-manifest'), join(dir, 'absent')],
  };
}

async function storeKnownStudy(path: string): Promise<void> {
  const opened = SqliteStorage.open(path);
  if (!opened.ok) throw new Error(opened.error.message);
  try {
    const setup = await prepareStudy({ model: 'gan', concurrency: 2, budget: 3, db: path, name: KNOWN_STUDY }, opened.storage);
    opened.storage.createStudy(setup.study);
  } finally {
    opened.storage.close();
  }
}
