/** fast-check generators of `tune` command lines: real options with good, bad and hostile values, in any order. */
import fc from 'fast-check';
import { KNOWN_STUDY, type CliFixtures } from './cli-fixtures.ts';

/** Subcommands talk to Docker or write files; the fuzzer stays on the default command with --dry-run. */
const SUBCOMMANDS = new Set(['compare', 'trials', 'best', 'studies', 'plot', 'report', 'models', 'image', 'reap', 'help', 'version']);

const hostile = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('', ' ', '-1', '0', '1e999', 'NaN', '0x10', '1.5', '99999999999999999999', 'a\nb', '--', '-', '=', '\u0000', '\u{1F600}'),
);

function values(fixtures: CliFixtures): Record<string, fc.Arbitrary<string>> {
  const number = (good: string[]) => fc.oneof(fc.constantFrom(...good), fc.integer({ min: -5, max: 20_000 }).map(String), hostile);
  return {
    model: fc.oneof(fc.constantFrom(...fixtures.models), hostile),
    concurrency: number(['1', '4', '4096', '4097']),
    budget: number(['1', '3', '10000', '10001']),
    strategy: fc.oneof(fc.constantFrom('bo', 'random', 'grid', 'lhs', 'BO'), hostile),
    seed: number(['0', '1', '42']),
    space: fc.oneof(fc.constantFrom(...fixtures.spaces), hostile),
    db: fc.constantFrom(...fixtures.dbs),
    duration: fc.oneof(fc.constantFrom('1', '2s', '500ms', '1.5m', '0', '30 s'), hostile),
    warmup: fc.oneof(fc.constantFrom('0', '1', '1s', '2min'), hostile),
    name: fc.oneof(fc.constantFrom(KNOWN_STUDY, 'fresh', 'a b', '../x'), hostile),
    objective: fc.oneof(fc.constantFrom('mean', 'p99', 'cost', 'energy', 'mean,cost', 'p99,cost,energy', 'mean,mean', 'mean,,cost', 'mean,p99,cost,energy'), hostile),
    'slo-p99': fc.oneof(fc.constantFrom('200ms', '0.2s', '150000us', '200', '0ms', '5 s'), hostile),
    precision: fc.oneof(fc.constantFrom('fp32', 'int8', 'fp16'), hostile),
    resume: fc.oneof(fc.constantFrom(KNOWN_STUDY, 'absent-study'), hostile),
  };
}

/** One option as separate words, as --opt=value, without its value, or repeated. */
function optionWords(name: string, value: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => [`--${name}`, v]) },
    { weight: 1, arbitrary: value.map((v) => [`--${name}=${v}`]) },
    { weight: 1, arbitrary: fc.constant<string[]>([`--${name}`]) },
    { weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]) => [`--${name}`, a, `--${name}`, b]) },
  );
}

const strayWord = fc.oneof(
  fc.constantFrom('--json', '--no-json', '--foo', '-x', '-vv', '--model', '---', '--=x'),
  hostile.filter((word) => !SUBCOMMANDS.has(word.trim())),
);

/** A command line that always carries --dry-run, so nothing is ever deployed. */
export function dryRunArgv(fixtures: CliFixtures): fc.Arbitrary<string[]> {
  const options = Object.entries(values(fixtures)).map(([name, value]) => optionWords(name, value));
  const word = fc.oneof({ weight: 8, arbitrary: fc.oneof(...options) }, { weight: 1, arbitrary: strayWord.map((w) => [w]) });
  // Half the lines start from a runnable study, so the deep checks (space, model, database) are reached too.
  const runnable = fc.constant([['--model', 'gan'], ['--concurrency', '4'], ['--budget', '3'], ['--db', fixtures.dbs[2]!]]);
  const start = fc.oneof(runnable, fc.constant([]));
  return fc
    .tuple(start, fc.array(word, { maxLength: 6 }))
    .map(([base, words]) => [...base, ...words].flat())
    .filter((argv) => !argv.some(turnsDryRunOff))
    .map((argv) => [...argv, '--dry-run']);
}

/**
 * Words that would make the run real or print help instead: "--" ends option parsing (a --dry-run after it
 * is a stray word), and any spelling of dry-run may set it false. --dry-run goes last, so it wins.
 */
function turnsDryRunOff(word: string): boolean {
  return word === '--' || /^--(no-)?dry-?run/i.test(word) || /^-(-help|-version|h)(=|$)/.test(word);
}
