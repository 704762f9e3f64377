/**
 * Studies that share one model across contexts (a sweep's load levels): each keeps its own trials, so storage,
 * resume and reports are those of any study, while its sampler learns from every sibling's measured attempts,
 * tagged with the sibling's context. Only measured attempts are shared: a sibling's running trial says nothing
 * yet, and its interrupted or infrastructure-failed rows say nothing about its configuration.
 */
import type { TrialRecord } from '../domain/records.ts';
import type { Observation } from '../samplers/sampler.ts';
import { measuredObservations, type StudyContext } from './study.ts';

/** A study sharing the model: where its trials are read from and the context they ran in. */
export interface ContextMember {
  context: readonly number[];
  trials: () => readonly TrialRecord[];
}

/** The context of one member of `members` (it is in the list): its coordinates, and the others' observations. */
export function sharedContext(members: readonly ContextMember[], own: ContextMember): StudyContext {
  const others = members.filter((member) => member !== own);
  return { coordinates: own.context, others: () => others.flatMap(observationsIn) };
}

/** Every member's measured attempts with their contexts, in member order: what the shared model is fitted on. */
export function sharedObservations(members: readonly ContextMember[]): Observation[] {
  return members.flatMap(observationsIn);
}

function observationsIn(member: ContextMember): Observation[] {
  return measuredObservations(member.trials()).map((observation) => ({ ...observation, context: member.context }));
}
