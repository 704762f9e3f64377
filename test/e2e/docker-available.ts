/**
 * Whether the Docker engine answers, for end-to-end tests: locally they skip without it; in CI (process.env.CI
 * set) a missing engine is a failure, so a broken runner cannot pass by skipping everything.
 */
import type { TestContext } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';

let answer: Promise<boolean> | undefined;

export function dockerAvailable(): Promise<boolean> {
  answer ??= createDockerClient()
    .ping()
    .then(() => true)
    .catch(() => false);
  return answer;
}

/** Call first in a Docker test: returns false (test skipped) when the engine is absent outside CI; throws in CI. */
export async function requireDocker(t: TestContext): Promise<boolean> {
  if (await dockerAvailable()) return true;
  if (process.env.CI) throw new Error('Docker engine unreachable in CI: start dockerd on the runner (these tests need it)');
  t.skip('Docker engine unreachable: start it to run this test');
  return false;
}
