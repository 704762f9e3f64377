/**
 * What a fault test checks after the fact: the study's trial rows (read raw, so a row changed by a byte
 * shows), our containers still around, and the hash of a database file.
 */
import BetterSqlite3 from 'better-sqlite3';
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export type Row = Record<string, unknown>;

/** Every trial row of the study, ordered by number, exactly as stored; none while tune is still creating the file. */
export function trialRows(db: string, studyId: string): Row[] {
  if (!existsSync(db)) return [];
  const raw = new BetterSqlite3(db, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    if (raw.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'trials'").get() === undefined) return [];
    return raw.prepare('SELECT * FROM trials WHERE study_id = ? ORDER BY number').all(studyId) as Row[];
  } finally {
    raw.close();
  }
}

export function rowsInState(rows: readonly Row[], state: string): Row[] {
  return rows.filter((row) => row.state === state);
}

/** Containers (running or not) labelled for the study by tune. */
export async function studyContainers(docker: Docker, studyId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: ['tune.tool=tune', `tune.study=${studyId}`] } });
}

/** Our containers still around for the study, as "trial N replica R (state)", for readable assertions. */
export async function leftovers(docker: Docker, studyId: string): Promise<string[]> {
  const listed = await studyContainers(docker, studyId);
  return listed.map((c) => `trial ${c.Labels['tune.trial']} replica ${c.Labels['tune.replica']} (${c.State})`);
}

/** The running replica of a given trial, once it is up. */
export async function runningReplica(docker: Docker, studyId: string, trial: number): Promise<string | undefined> {
  const listed = await docker.listContainers({ filters: { label: ['tune.tool=tune', `tune.study=${studyId}`, `tune.trial=${trial}`], status: ['running'] } });
  return listed[0]?.Id;
}

/** Swarm services labelled for the study by tune (none on an engine outside swarm mode). */
export async function studyServices(docker: Docker, studyId: string): Promise<string[]> {
  const info = (await docker.info()) as { Swarm?: { ControlAvailable?: boolean } };
  if (info.Swarm?.ControlAvailable !== true) return [];
  const listed = (await docker.listServices({ filters: { label: ['tune.tool=tune', `tune.study=${studyId}`] } })) as { Spec?: { Name?: string } }[];
  return listed.map((s) => s.Spec?.Name ?? '?');
}

export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Removes whatever our test left, if a test failed halfway (its services first, on a swarm). Only the test's own study. */
export async function removeStudyContainers(docker: Docker, studyId: string): Promise<void> {
  for (const name of await studyServices(docker, studyId)) await docker.getService(name).remove().catch(() => undefined);
  for (const info of await studyContainers(docker, studyId)) await docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined);
}
