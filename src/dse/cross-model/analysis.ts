/**
 * Cross-model (or cross-workload) analysis of two or more studies on comparable spaces (pure once the spaces
 * are resolved, which is injected): for every pair, whether they rank shared configurations alike and what
 * each loses by adopting the other's best configuration; for every study, which parameters matter, from the
 * fitted GP's length scales.
 */
import type { StudyRecord, StudyTrials, TrialRecord } from '../../domain/records.ts';
import type { Objective } from '../../domain/vocabulary.ts';
import type { SearchSpace } from '../../space/space.ts';
import { rankAgreement, type RankAgreement } from './rank-agreement.ts';
import { fitStudyModel, importanceFromLengthScales, MIN_TRIALS_FOR_MODEL, type Importance, type StudyModel } from './study-model.ts';
import { transferPenalty, type Transfer } from './transfer.ts';

export interface CrossModelOptions {
  /** The study's search space with its pins applied, or undefined when it cannot be read back. */
  spaceOf: (study: StudyRecord) => SearchSpace | undefined;
  metric?: Objective; // default mean latency
  /** Trials that measured the source's best on the target's model (transfer studies); none by default. */
  transferTrials?: (source: string, target: string) => readonly TrialRecord[];
}

export interface PairSection {
  a: string;
  b: string;
  rank: RankAgreement;
  /** a's best on b, then b's best on a, where they could be valued. */
  transfers: Transfer[];
}

export interface ImportanceSection {
  study: string;
  model: string;
  importance?: Importance[];
  note?: string; // why importance is missing
}

export interface CrossModelAnalysis {
  metric: Objective;
  pairs: PairSection[];
  importance: ImportanceSection[];
}

export function crossModelAnalysis(studies: readonly StudyTrials[], options: CrossModelOptions): CrossModelAnalysis {
  const metric = options.metric ?? 'mean';
  const models = studies.map((entry) => modelOf(entry, metric, options.spaceOf));
  const pairs: PairSection[] = [];
  studies.forEach((a, i) =>
    studies.slice(i + 1).forEach((b, k) => {
      const j = i + 1 + k;
      const measured = (from: StudyTrials, to: StudyTrials) => options.transferTrials?.(from.study.id, to.study.id) ?? [];
      const transfers = [transferPenalty(a, b, metric, models[j]?.predict, measured(a, b)), transferPenalty(b, a, metric, models[i]?.predict, measured(b, a))];
      pairs.push({ a: a.study.id, b: b.study.id, rank: rankAgreement(a, b, metric), transfers: transfers.filter((t): t is Transfer => t !== undefined) });
    }),
  );
  return { metric, pairs, importance: studies.map((entry, i) => importanceSection(entry, models[i], options.spaceOf)) };
}

function modelOf(entry: StudyTrials, metric: Objective, spaceOf: CrossModelOptions['spaceOf']): StudyModel | undefined {
  const space = spaceOf(entry.study);
  return space && fitStudyModel(space, entry.trials, metric);
}

function importanceSection(entry: StudyTrials, model: StudyModel | undefined, spaceOf: CrossModelOptions['spaceOf']): ImportanceSection {
  const section = { study: entry.study.id, model: entry.study.model };
  if (model) return { ...section, importance: importanceFromLengthScales(model.space, model.lengthScales) };
  const note = spaceOf(entry.study) === undefined ? 'its search space cannot be read back' : `fewer than ${MIN_TRIALS_FOR_MODEL} complete trials`;
  return { ...section, note };
}
