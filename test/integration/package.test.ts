/**
 * The published package, installed the way another project installs it: `npm run build` (when dist/ is
 * older than src/), `npm pack`, then a fresh project outside the repository installs the tarball with no
 * network and uses it — the README's library example, type-checked against the shipped .d.ts and run by
 * plain node; the `tune` bin; SQLite; and the model-server bundle made from dist/. Nothing here may lean on
 * the checkout: the project has no tsx, no src/, and its own node_modules.
 *
 * Offline install: npm 11 resolves a new dependency from full packuments, which `npm ci` does not cache, so
 * the project gets a lock file made from ours (the same production tree, tune-serving itself as a file:
 * tarball) and `npm ci --offline` fetches every package from the cache. better-sqlite3 then has no
 * prebuilt binary (prebuild-install cannot reach GitHub) and compiles with node-gyp against the local Node
 * headers (npm_config_nodedir). This takes a minute or two: most of it is that compile.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const INSTALL_TIMEOUT_MS = 10 * 60_000;

interface Ran {
  code: number | null;
  output: string; // stdout and stderr, interleaved
  stdout: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stdout });
    });
  });
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function runOk(what: string, command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<Ran> {
  const ran = await run(command, args, cwd, env, timeoutMs);
  assert.equal(ran.code, 0, `${what} exited ${ran.code}:\n${tail(ran.output)}`);
  return ran;
}

/** Newest modification time under `path`, folders included (a deleted source file changes its folder). */
function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function oldestFileMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.min(...readdirSync(path).map((name) => oldestFileMtime(join(path, name))));
}

/** dist/ is current when every input is older than the first file the last build wrote. */
function buildIsCurrent(): boolean {
  const dist = join(REPO, 'dist');
  if (!existsSync(join(dist, 'index.js'))) return false;
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json'].map((p) => newestMtime(join(REPO, p)));
  return Math.max(...inputs) < oldestFileMtime(dist);
}

/** npm's own variables from a surrounding `npm run` (package and lifecycle facts, its prefix) stay out. */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') || keep.has(key)));
  env.npm_config_onnxruntime_node_install = 'skip'; // else onnxruntime-node's install script downloads CUDA files
  // node-gyp compiles better-sqlite3 against these headers instead of downloading them.
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  if (existsSync(join(prefix, 'include', 'node', 'node_version.h'))) env.npm_config_nodedir = prefix;
  return env;
}

/** A lock file for a project depending only on `tarball`: our lock's production packages, hoisted as they are. */
function consumerLock(tarballSpec: string, manifest: Record<string, unknown>): object {
  const ours = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const packages: Record<string, unknown> = {
    '': { name: 'tune-consumer', dependencies: { 'tune-serving': tarballSpec } },
    'node_modules/tune-serving': {
      version: manifest.version,
      resolved: tarballSpec,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (path === '' || entry.dev === true) continue;
    const { devOptional: _, ...kept } = entry;
    packages[path] = kept;
  }
  return { name: 'tune-consumer', lockfileVersion: 3, requires: true, packages };
}

/** The ```ts block under the README's `## Library API` heading. */
function readmeLibraryExample(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Library API\n'));
  assert.ok(section, 'README.md has a "## Library API" section');
  const block = /^```ts\n([\s\S]*?)^```/m.exec(section);
  assert.ok(block, 'the "## Library API" section has a ```ts block');
  assert.match(block[1]!, /from 'tune-serving'/, 'the example imports tune-serving');
  return block[1]!;
}

const SMOKE = `
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { SqliteStorage } from 'tune-serving';

// better-sqlite3's native binding, as the installed package loads it.
const opened = SqliteStorage.open(':memory:');
if (!opened.ok) throw new Error('sqlite: ' + opened.error.message);
const studies = opened.storage.listStudies().length;
opened.storage.close();

// The model-server bundle is made from dist/server/main.js and its worker (no .ts beside them).
const root = createRequire(import.meta.url).resolve('tune-serving').replace(/dist\\/index\\.js$/, '');
const { bundleServer } = await import(pathToFileURL(root + 'dist/deploy/image/bundle.js').href);
const files = await bundleServer(root + 'dist/server/main.js');
// Built models go under the working directory, not into node_modules.
const { defaultCacheDir } = await import(pathToFileURL(root + 'dist/models/build.js').href);
console.log(JSON.stringify({ studies, bundle: files.map((f) => [f.name, f.text.length]), cache: defaultCacheDir({}) }));
`;

describe('the packed package, installed in another project without network', () => {
  let work = '';
  let project = '';
  let tarball = '';

  const setupTimeoutMs = INSTALL_TIMEOUT_MS + 5 * 60_000;
  before(async () => {
    const started = performance.now();
    work = mkdtempSync(join(tmpdir(), 'tune-package-'));
    project = join(work, 'project');
    if (!buildIsCurrent()) await runOk('npm run build', 'npm', ['run', 'build'], REPO, npmEnv(), 300_000);
    const packed = await runOk('npm pack', 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO, npmEnv());
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = info!.filename;
    const contents = info!.files.map((f) => f.path);
    for (const needed of ['package.json', 'bin/tune.mjs', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/server/main.js', 'dist/server/inference-worker.js', 'search-spaces/default.json', 'README.md']) {
      assert.ok(contents.includes(needed), `the tarball holds ${needed}`);
    }
    const stray = contents.filter((path) => !/^(dist|bin|search-spaces)\//.test(path) && !['package.json', 'README.md'].includes(path));
    assert.deepEqual(stray, [], 'the tarball holds only what runs');

    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
    const spec = `file:../${tarball}`;
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'tune-consumer', private: true, type: 'module', dependencies: { 'tune-serving': spec } }, null, 2)}\n`);
    writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(consumerLock(spec, manifest), null, 2)}\n`);
    const args = ['ci', '--offline', '--no-audit', '--no-fund', '--foreground-scripts', '--loglevel=info'];
    const installed = await runOk('npm ci --offline', 'npm', args, project, npmEnv(), INSTALL_TIMEOUT_MS);
    const how = /Successfully installed prebuilt binary/.test(installed.output) ? 'took a prebuilt binary' : 'compiled by node-gyp';
    console.log(`packed ${tarball} and installed it offline in ${((performance.now() - started) / 1000).toFixed(0)} s (better-sqlite3 ${how})`);
  }, { timeout: setupTimeoutMs });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('installs the runtime only: dist, no sources, no tsx', () => {
    const pkg = join(project, 'node_modules', 'tune-serving');
    assert.ok(existsSync(join(pkg, 'dist', 'index.js')));
    assert.ok(!existsSync(join(pkg, 'src')), 'no src/ in the package');
    assert.ok(!existsSync(join(project, 'node_modules', 'tsx')), 'tsx is not installed');
    assert.ok(existsSync(join(project, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')), 'better-sqlite3 has its binding');
    assert.ok(lstatSync(join(project, 'node_modules', '.bin', 'tune')).isSymbolicLink(), 'the tune bin is linked');
  });

  test("the README's library example type-checks against the shipped types and finds the Branin optimum", async () => {
    writeFileSync(join(project, 'example.mts'), readmeLibraryExample());
    // Type-checked as a consumer would (strict, NodeNext, declarations checked too), and emitted as plain JS.
    const flags = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', '--outDir', 'out'];
    await runOk('tsc example.mts', process.execPath, [TSC, ...flags, 'example.mts'], project);
    const ran = await runOk('node out/example.mjs', process.execPath, [join('out', 'example.mjs')], project);
    const value = /value:\s*([0-9.eE+-]+)/.exec(ran.stdout);
    assert.ok(value, `the example prints the best value:\n${ran.stdout}`);
    const best = Number(value[1]);
    console.log(`README example: best value ${best}`);
    assert.ok(Math.abs(best - 0.398) < 0.05, `best value ${best} is near 0.40`);
  });

  test('`tune --help` runs from the installed bin', async () => {
    const ran = await runOk('tune --help', join(project, 'node_modules', '.bin', 'tune'), ['--help'], project);
    assert.match(ran.stdout, /^tune \[command\] \[options\]/);
    assert.match(ran.stdout, /tune image <action>/);
  });

  test('a dry run reads the search space shipped in the package', async () => {
    const ran = await runOk('tune --dry-run', join(project, 'node_modules', '.bin', 'tune'), ['--model', 'gan', '--concurrency', '1', '--budget', '2', '--dry-run'], project);
    assert.match(ran.stdout, /space: .*node_modules\/tune-serving\/search-spaces\/gan\.json/);
    assert.match(ran.stdout, /dry run: nothing was deployed or measured/);
  });

  test('SQLite opens, the model server bundles from dist/, models are cached under the working directory', async () => {
    writeFileSync(join(project, 'smoke.mjs'), SMOKE);
    const ran = await runOk('node smoke.mjs', process.execPath, ['smoke.mjs'], project);
    const result = JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as { studies: number; bundle: [string, number][]; cache: string };
    assert.equal(result.studies, 0);
    assert.equal(result.cache, join(realpathSync(project), '.cache'), 'the model cache is under the working directory');
    assert.deepEqual(result.bundle.map(([name]) => name), ['inference-worker.js', 'server.js']);
    for (const [name, length] of result.bundle) assert.ok(length > 1000, `${name} is a real bundle (${length} characters)`);
  });
});
