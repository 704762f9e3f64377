/**
 * Study names derived from what defines a study, so `tune compare` can find (and reuse) the study a
 * plain `tune` run with the same model, concurrency, budget, strategy and seed already produced.
 */
import { basename, extname } from 'node:path';
import type { Objective } from '../domain/vocabulary.ts';

export interface StudyIdentity {
  model: string;
  strategy: string;
  concurrency: number;
  budget: number;
  seed: number;
  objective: Objective;
  /** A study minimising several objectives: all of them, `objective` first. */
  objectives?: readonly Objective[];
  /** The load's inference protocol: a V2 study is named apart (absent or v1: no suffix, as before). */
  api?: 'v1' | 'v2';
}

/** A single objective other than mean latency, or every objective of a trade-off study, ends the name. */
export function studyName(identity: StudyIdentity): string {
  const objectives = identity.objectives ?? [];
  const objective = objectives.length > 1 ? `-${objectives.join('-')}` : identity.objective === 'mean' ? '' : `-${identity.objective}`;
  const api = identity.api === 'v2' ? '-v2' : '';
  return `${modelSlug(identity.model)}-${identity.strategy}-c${identity.concurrency}-b${identity.budget}-s${identity.seed}${objective}${api}`;
}

/**
 * A sweep level whose study shares one model with the other levels is named after all of them: what it proposed
 * depended on its siblings' trials, so it is not the study a plain run (or another sweep) would make.
 */
export function sharedLevelName(identity: StudyIdentity, levels: readonly number[]): string {
  return `${studyName(identity)}-shared-c${levels.join('-')}`;
}

/** The sweep levels a shared-model study belongs to, read off its name; undefined for any other study. */
export function sharedLevelsOf(studyId: string): number[] | undefined {
  const levels = /-shared-c(\d+(?:-\d+)+)$/.exec(studyId)?.[1];
  return levels?.split('-').map(Number);
}

/** A model path becomes its last component, reduced to characters safe in a name. */
export function modelSlug(model: string): string {
  const base = basename(model.replace(/[\\/]+$/, ''), extname(model));
  return base.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}
