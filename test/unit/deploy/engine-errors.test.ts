import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyCreateError, isEngineUnreachable } from '../../../src/deploy/docker/engine-errors.ts';

const connectError = (code: string) => Object.assign(new Error(`connect ${code}`), { code, syscall: 'connect' });
const engineError = (statusCode: number, message: string) => Object.assign(new Error('(HTTP code)'), { statusCode, json: { message } });

describe('engine errors', () => {
  test('a refused or missing socket is an unreachable engine; a missing file elsewhere is not', () => {
    assert.equal(isEngineUnreachable(connectError('ECONNREFUSED')), true);
    assert.equal(isEngineUnreachable(connectError('ENOENT')), true);
    assert.equal(isEngineUnreachable(Object.assign(new Error('x'), { code: 'ENOENT', syscall: 'open' })), false);
  });

  test('classifies create failures', () => {
    const unreachable = classifyCreateError(connectError('ENOENT'), '/var/run/docker.sock', 'img');
    assert.deepEqual(unreachable, {
      kind: 'engine_unreachable',
      message: 'Docker engine unreachable at /var/run/docker.sock: start it (sudo dockerd &, or systemctl start docker) and retry',
    });
    assert.equal(classifyCreateError(engineError(404, 'No such image: img:1'), 's', 'img:1').kind, 'image_missing');
    const rejected = classifyCreateError(engineError(400, 'Range of CPUs is from 0.01 to 2.00'), 's', 'img');
    assert.deepEqual(rejected, { kind: 'invalid_config', message: 'Docker rejected the container settings: Range of CPUs is from 0.01 to 2.00' });
  });
});
