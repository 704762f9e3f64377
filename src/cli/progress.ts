/**
 * Progress lines for stderr, one per loop event: where the study is (trial i/N and a bar), what the last
 * trial gave (and, when it differed from a plain run, how it was deployed and that it stopped early), the best
 * so far and an ETA from the trials timed in this run.
 */
import { formatCount, formatDeploy, formatDuration, formatObjective, formatParams, formatStoppedEarly } from '../report/format.ts';
import { trialDeploy } from '../domain/time-spent.ts';
import type { TrialRecord } from '../domain/records.ts';
import { metricValue, parallelOf, studyObjectives } from '../domain/trials.ts';
import type { Objective } from '../domain/vocabulary.ts';
import type { LoopEvent } from '../study/tuning-loop.ts';
import type { RunHooks } from '../app/run-study.ts';
import type { CliIo } from './io.ts';
import { abortOnSignals } from './signals.ts';

const BAR_WIDTH = 12;

export class ProgressLines {
  private readonly trialSeconds: number[] = [];

  /**
   * `objectives`: every objective of a study minimising several (`objective` first), each shown per trial.
   * `parallel`: trials in flight at once, which divides the time the remaining ones take.
   */
  constructor(
    private readonly objective: Objective,
    private readonly objectives: readonly Objective[] = [objective],
    private readonly parallel = 1,
  ) {}

  line(event: LoopEvent): string {
    switch (event.type) {
      case 'recovered': {
        const { staleTrials, containersRemoved } = event.recovery;
        return `resume: trial ${staleTrials.join(', ')} left running by a stopped process marked stale; ${containersRemoved} container(s) removed`;
      }
      case 'warning':
        return `warning: ${event.message}`;
      case 'trial-started': {
        const label = event.isBaseline ? `trial ${event.number} (baseline)` : `trial ${event.number}`;
        return `${bar(event.attempt - 1, event.budget)} ${event.attempt}/${event.budget} ${label}: ${formatParams(event.params)}`;
      }
      case 'trial-finished':
        this.trialSeconds.push((event.at - event.startedAt) / 1000);
        return [
          `${bar(event.attempts, event.budget)} ${event.attempts}/${event.budget} ${this.result(event.trial)}`,
          `best ${this.best(event.best)}`,
          `ETA ${formatDuration(this.etaSeconds(event.budget - event.attempts))}`,
        ].join(' | ');
      case 'confirmation-started':
        return `confirm round ${event.round}, trial ${event.number}: trial ${event.confirms}'s configuration again (${formatCount(event.contenders, 'contender')})`;
      case 'confirmation-finished': {
        const leader = event.verdict?.standings.find((s) => s.number === event.verdict?.winner);
        const standing = leader?.mean === undefined ? [] : [`leader trial ${leader.number}: ${formatObjective(leader.mean, this.objective)} over ${formatCount(leader.values.length, 'round')}${leader.probabilityBest === undefined ? '' : `, P(best) ${leader.probabilityBest.toFixed(2)}`}`];
        return [`confirm ${this.result(event.trial)}`, ...standing].join(' | ');
      }
    }
  }

  private result(trial: TrialRecord): string {
    if (trial.state === 'complete') {
      // A fresh deploy is the usual case: only the shortcuts are worth the room on the line.
      const notes = [trialDeploy(trial)?.mode === 'fresh' ? undefined : formatDeploy(trial), formatStoppedEarly(trial)].filter(Boolean);
      return `trial ${trial.number} complete${notes.length > 0 ? ` (${notes.join(', ')})` : ''}: ${this.values(trial)}`;
    }
    return `trial ${trial.number} ${trial.state} (${trial.failureKind ?? 'unknown'}): ${trial.failureMessage ?? ''}`.trimEnd();
  }

  private values(trial: TrialRecord): string {
    const { metrics } = trial;
    if (this.objectives.length === 1 || metrics === undefined) return formatObjective(trial.objectiveValue, this.objective);
    return this.objectives.map((objective) => formatObjective(metricValue(metrics, objective), objective)).join(', ');
  }

  private best(best: TrialRecord | undefined): string {
    return best ? `${formatObjective(best.objectiveValue, this.objective)} (trial ${best.number})` : 'none yet';
  }

  private etaSeconds(remaining: number): number {
    if (remaining <= 0) return 0;
    const mean = this.trialSeconds.reduce((sum, s) => sum + s, 0) / this.trialSeconds.length;
    return (mean * remaining) / this.parallel;
  }
}

function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/**
 * Runs `body` with the hooks a study run needs from the terminal: Ctrl-C / SIGTERM wired to a graceful stop,
 * notes and one progress line per loop event on stderr.
 */
export async function withProgress<T>(io: CliIo, body: (hooks: RunHooks) => Promise<T>): Promise<T> {
  const scope = abortOnSignals(io.err);
  try {
    return await body({
      signal: scope.signal,
      note: io.err,
      progress: (setup) => {
        io.err(`study ${setup.study.id}: ${setup.isNew ? 'starting' : 'resuming'} (${setup.study.strategy}, budget ${setup.study.budget})`);
        const lines = new ProgressLines(setup.study.objective, studyObjectives(setup.study), parallelOf(setup.study));
        return (event) => io.err(lines.line(event));
      },
    });
  } finally {
    scope.dispose();
  }
}
