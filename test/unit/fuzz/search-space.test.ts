/**
 * Fuzzing the search-space loader from raw bytes: whatever a file holds (wrong kinds, bounds and types,
 * unknown keys, huge numbers, deep nesting, invalid UTF-8, UTF-16), the loader returns a space or a
 * SpaceError with a one-line message, and never throws anything else.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseSearchSpaceBytes } from '../../../src/space/load.ts';
import { SpaceError } from '../../../src/space/space-error.ts';
import { assertOneLine } from '../../../support/one-line.ts';
import { encode, encoding, spaceDocumentText } from './space-arbitraries.ts';

const RUNS = 5000;
const CONTEXT = { host_cores: 2, host_memory_mb: 24_576 };

function checkLoad(bytes: Uint8Array): void {
  const result = parseSearchSpaceBytes(bytes, 'fuzz.json', CONTEXT);
  if (result.ok) {
    assert.ok(result.value.parameters.length > 0, 'a loaded space has parameters');
    return;
  }
  assert.ok(result.error instanceof SpaceError, `not a SpaceError: ${String(result.error)}`);
  assertOneLine(result.error.message, `SpaceError ${result.error.code}`);
}

describe('search-space loader under fuzzing', () => {
  test(`${RUNS} generated documents, encodings included, give a space or a one-line SpaceError`, () => {
    fc.assert(
      fc.property(spaceDocumentText(), encoding(), (source, how) => checkLoad(encode(source, how))),
      { numRuns: RUNS },
    );
  });

  test(`${RUNS} arbitrary byte strings give a space or a one-line SpaceError`, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), checkLoad), { numRuns: RUNS });
  });

  // Found by the fuzzer; kept as plain cases so a regression names itself.
  const regressions: [string, string][] = [
    ['a parameter entry nested 20,000 arrays deep', `{"parameters": [${'['.repeat(20_000)}${']'.repeat(20_000)}]}`],
    ['a whole document nested 20,000 objects deep', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`],
    ['a newline inside a parameter name', '{"parameters": [{"name": "a\\nb", "kind": "int", "low": 1, "high": 2}]}'],
    ['a newline inside a kind', '{"parameters": [{"name": "a", "kind": "in\\nt", "low": 1, "high": 2}]}'],
    ['a newline inside an unknown key', '{"parameters": [{"name": "a", "kind": "int", "low": 1, "high": 2, "x\\ny": 1}]}'],
    ['a newline inside an unsatisfiable constraint', '{"parameters": [{"name": "a", "kind": "int", "low": 1, "high": 2}], "constraints": ["a\\n <= 0"]}'],
    ['a constraint with 20,000 nested parentheses', `{"parameters": [{"name": "a", "kind": "int", "low": 1, "high": 2}], "constraints": ["${'('.repeat(20_000)}a${')'.repeat(20_000)} <= 3"]}`],
  ];
  for (const [what, text] of regressions) {
    test(`${what} is a one-line SpaceError`, () => checkLoad(new TextEncoder().encode(text)));
  }
});
