import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSearchSpace, parseSearchSpaceBytes, type SpaceErrorCode } from '../../../src/space/index.ts';

const FILE = 'search-spaces/x.json';
const replicas = { name: 'replicas', kind: 'int', low: 1, high: 4 };
const cpus = { name: 'cpus', kind: 'float', low: 0.5, high: 2 };

function failure(document: unknown, context = {}): { code: SpaceErrorCode; message: string } {
  const result = parseSearchSpace(document, FILE, context);
  assert.equal(result.ok, false, 'expected the space to be rejected');
  if (result.ok) throw new Error('unreachable');
  assert.ok(!result.error.message.includes('\n'), 'one line');
  return { code: result.error.code, message: result.error.message };
}

function bytesFailure(bytes: Uint8Array): { code: SpaceErrorCode; message: string } {
  const result = parseSearchSpaceBytes(bytes, FILE);
  if (result.ok) throw new Error('expected the file to be rejected');
  return { code: result.error.code, message: result.error.message };
}

const CASES: [string, unknown, SpaceErrorCode, string][] = [
  ['low above high', { parameters: [{ ...cpus, low: 4, high: 1 }] }, 'low_above_high', `${FILE}: parameter "cpus": low (4) is greater than high (1)`],
  ['unknown kind', { parameters: [{ name: 'cpus', kind: 'decimal', low: 1, high: 2 }] }, 'unknown_kind', `${FILE}: parameter "cpus": unknown kind "decimal" (known: float, int, pow2, categorical)`],
  ['empty choices', { parameters: [{ name: 'precision', kind: 'categorical', choices: [] }] }, 'empty_choices', `${FILE}: parameter "precision": "choices" is empty: give at least one choice`],
  ['duplicate choice', { parameters: [{ name: 'precision', kind: 'categorical', choices: ['fp32', 'fp32'] }] }, 'duplicate_choice', `${FILE}: parameter "precision": choice "fp32" appears more than once`],
  ['non-finite number', { parameters: [{ ...cpus, high: Infinity }] }, 'not_finite', `${FILE}: parameter "cpus": "high" must be a finite number, got Infinity`],
  ['number given as a string', { parameters: [{ ...cpus, low: '1' }] }, 'wrong_type', `${FILE}: parameter "cpus": "low" must be a number, got "1"`],
  ['log scale with low 0', { parameters: [{ ...cpus, low: 0, log: true }] }, 'log_needs_positive_low', `${FILE}: parameter "cpus": log scale needs low > 0, got low 0`],
  ['unknown key', { parameters: [{ ...cpus, lo: 1 }] }, 'unknown_key', `${FILE}: parameter "cpus": unknown key "lo" (allowed: name, kind, description, default, low, high, log, step)`],
  ['unknown top-level key', { parameters: [cpus], constraint: [] }, 'unknown_key', `${FILE}: unknown key "constraint" (allowed: $schema, description, parameters, constraints)`],
  ['missing key', { parameters: [{ name: 'cpus', kind: 'float', low: 1 }] }, 'missing_key', `${FILE}: parameter "cpus": "high" is required`],
  ['duplicate name', { parameters: [cpus, cpus] }, 'duplicate_name', `${FILE}: parameter "cpus" is defined more than once`],
  ['bad name', { parameters: [{ ...cpus, name: 'cpu count' }] }, 'bad_name', `${FILE}: parameter "cpu count": the name must be letters, digits and underscores, not starting with a digit`],
  ['no parameters', { parameters: [] }, 'no_parameters', `${FILE}: "parameters" must list at least one parameter`],
  ['not an object', [1, 2], 'not_an_object', `${FILE}: the file must hold a JSON object with "parameters", got [1,2]`],
  ['default outside the range', { parameters: [{ ...replicas, default: 9 }] }, 'default_out_of_range', `${FILE}: parameter "replicas": default (9) is not an integer within 1..4`],
  ['default off the step grid', { parameters: [{ ...cpus, step: 0.25, default: 1.1 }] }, 'default_out_of_range', `${FILE}: parameter "cpus": default (1.1) is not within 0.5..2 in steps of 0.25`],
  ['categorical default not a choice', { parameters: [{ name: 'precision', kind: 'categorical', choices: ['fp32', 'int8'], default: 'fp16' }] }, 'default_out_of_range', `${FILE}: parameter "precision": default ("fp16") is not one of fp32, int8`],
  ['pow2 bound not a power of two', { parameters: [{ name: 'batch', kind: 'pow2', low: 1, high: 48 }] }, 'not_power_of_two', `${FILE}: parameter "batch": "high" must be a power of two (1, 2, 4, ...), got 48`],
  ['non-integer int bound', { parameters: [{ ...replicas, high: 4.5 }] }, 'wrong_type', `${FILE}: parameter "replicas": "high" must be an integer, got 4.5`],
  ['bad step', { parameters: [{ ...replicas, step: 0 }] }, 'bad_step', `${FILE}: parameter "replicas": step must be a positive integer, got 0`],
  ['step with log', { parameters: [{ ...cpus, log: true, step: 0.5 }] }, 'bad_step', `${FILE}: parameter "cpus": step cannot be combined with log scale`],
  ['constraint with an unknown name', { parameters: [replicas, cpus], constraints: ['replicas * cpus <= host_cores'] }, 'constraint_unknown_name', `${FILE}: constraint "replicas * cpus <= host_cores" uses unknown name "host_cores" (known: replicas, cpus)`],
  ['constraint syntax', { parameters: [replicas, cpus], constraints: ['replicas * <= 4'] }, 'constraint_syntax', `${FILE}: constraint "replicas * <= 4": unexpected "<="`],
  ['constraint without comparison', { parameters: [replicas], constraints: ['replicas + 1'] }, 'constraint_syntax', `${FILE}: constraint "replicas + 1": expected a comparison such as <= between two expressions`],
  ['constraint on a categorical', { parameters: [replicas, { name: 'mode', kind: 'categorical', choices: ['a'] }], constraints: ['mode <= 1'] }, 'constraint_categorical', `${FILE}: constraint "mode <= 1" uses categorical parameter "mode"; constraints can only use numeric parameters`],
  ['constraint that is not a string', { parameters: [replicas], constraints: [3] }, 'wrong_type', `${FILE}: every constraint must be a string`],
  ['unsatisfiable constraint', { parameters: [replicas, cpus], constraints: ['replicas * cpus <= host_cores'] }, 'constraints_unsatisfiable', `${FILE}: no configuration satisfies constraint "replicas * cpus <= host_cores" (5000 tried; host_cores = 0.25); widen the ranges or relax the constraint`],
  ['defaults breaking a constraint', { parameters: [{ ...replicas, default: 4 }, { ...cpus, default: 2 }], constraints: ['replicas * cpus <= host_cores'] }, 'default_infeasible', `${FILE}: the default configuration breaks constraint "replicas * cpus <= host_cores" with host_cores = 2; change a default`],
];

describe('search-space errors: one line each, naming file and parameter', () => {
  for (const [title, document, code, message] of CASES) {
    test(title, () => {
      const context = title === 'unsatisfiable constraint' ? { host_cores: 0.25 } : title === 'defaults breaking a constraint' ? { host_cores: 2 } : {};
      assert.deepEqual(failure(document, context), { code, message });
    });
  }

  test('invalid JSON', () => {
    const { code, message } = bytesFailure(Buffer.from('{"parameters": [}'));
    assert.equal(code, 'invalid_json');
    assert.match(message, /^search-spaces\/x\.json: invalid JSON: /);
  });

  test('empty file', () => {
    assert.deepEqual(bytesFailure(Buffer.from('  \n')), { code: 'empty_file', message: `${FILE}: the file is empty; it must hold a JSON object with "parameters"` });
  });

  test('UTF-8 byte-order mark', () => {
    assert.deepEqual(bytesFailure(Buffer.from('\ufeff{"parameters": []}')), { code: 'bad_encoding', message: `${FILE}: the file starts with a byte-order mark; save it as UTF-8 without BOM` });
  });

  test('UTF-16', () => {
    assert.deepEqual(bytesFailure(Buffer.from('\ufeff{}', 'utf16le')), { code: 'bad_encoding', message: `${FILE}: the file looks like UTF-16; save it as UTF-8` });
  });

  test('invalid UTF-8', () => {
    assert.deepEqual(bytesFailure(Uint8Array.from([0x7b, 0xc3, 0x28, 0x7d])), { code: 'bad_encoding', message: `${FILE}: the file is not valid UTF-8; save it as UTF-8` });
  });

  test('a number too large for a double reads as non-finite', () => {
    const { code } = bytesFailure(Buffer.from('{"parameters": [{"name": "x", "kind": "float", "low": 0, "high": 1e999}]}'));
    assert.equal(code, 'not_finite');
  });
});
