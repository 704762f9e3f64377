/**
 * Bayesian optimisation: a Gaussian process on the completed trials, noisy expected improvement (in log form)
 * times the probability that a configuration runs at all, maximised over feasible untried configurations by
 * gradient climbs from the best of many raw samples (acquisition-search.ts).
 *
 * Initial design: the first `initialTrials` proposals (counting the baseline and any trials already in the
 * history) are stratified over the feasible configurations (initial-design.ts). Default: budget / 10 rounded
 * up, kept within 5..8: the length-scale prior makes a small design enough. On bench/optimizers' budget-20
 * table, 5 beat 4 (the serving problem within 5% in 8 of 20 seeds rather than 5, Hartmann-6 at regret 0.58
 * rather than 0.73) and 6 only delayed the model.
 *
 * Context: given the context a proposal is for (a load level, say), the model's inputs are the configuration
 * followed by each trial's context, so trials in every context inform it; the acquisition is maximised at the
 * requested context, and the design, the configurations already tried and the noisy incumbent are per context
 * (the design spreads each context's points away from the other contexts' too).
 * Should every trial so far have failed, proposals stay space-filling (farthest from everything tried).
 *
 * Trials still running (pending: several workers in flight) are never proposed again, count in the design (so K
 * asks in the design phase are K distinct design points) and are neither successes nor failures to the success
 * model. The value model treats them by constant liar with the lowest value (pending.ts, `liar-min`): each is
 * fantasized as having returned the best value measured so far in its context, and the posterior refactorized
 * with the hyperparameters fitted on the real trials alone. bench/optimizers/parallel.ts (10 seeds, budget 48,
 * every trial the same length) decided it against the Kriging believer (`believer`) and local penalization
 * (`penalize`); median regret after 48 trials at K = 4 / K = 2: Hartmann-6 0.0142 / 0.0142 against the
 * believer's 0.114 / 0.0628 and penalization's 0.130 / 0.0655 (K = 1: 0.00356); mixed 6-D 0.107 / 0.0613
 * against 0.0999 / 0.0579 and 0.162 / 0.0162 (K = 1: 0.0970); the serving problem 0 for all. The liar was 8×
 * better than either on Hartmann-6 at K = 4 (4× at K = 2) and within 10% of the believer on mixed 6-D at K = 4
 * (penalization won there only at K = 2). A likely reason, not isolated: a lie at the best value makes a pending
 * trial's neighbourhood look already won, where the believer's fantasy (the mean) only takes the variance away.
 * Per suggestion, fantasies cost one more factorization: with 4 pending at 50 trials, at most 1.45× a suggestion
 * with none (bench/optimizers/RESULTS.md).
 *
 * Cost: given what each proposal would take to deploy and measure (`ProposalCost`), the acquisition is CArBO's
 * cost-cooled EI (Lee et al., "Cost-aware Bayesian optimization", 2020): log EI + log P(runs) − α · log(seconds),
 * α falling from 1 when the model takes over from the design to 0 as the trial budget runs out (costCooling), so
 * early on a cheap move wins over a costly one worth about as much, and towards the end plain EI decides. The cost
 * is piecewise constant in the encoded configuration (a move's mode changes in steps), so the gradient climbs
 * ignore it; the raw samples' ranking, the climbs' comparisons and the final pick all use the cost-weighted values.
 * The deployed configuration is a seed, and the best of its one-move neighbours (the cheapest moves) starts a climb
 * whose gradient polish also runs along the knobs that neighbour changed alone (acquisition-search.ts). The initial
 * design ignores the cost; at α = 0, or with no cost, proposals are exactly plain EI's. bench/optimizers/cost-aware.ts
 * measures the wall clock it saves (RESULTS.md).
 */
import { GaussianProcess } from '../gp/gaussian-process.ts';
import { NoisyExpectedImprovement } from '../gp/noisy-ei.ts';
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, decode, type SearchSpace } from '../space/space.ts';
import { maximizeAcquisition, type Acquisition, type SearchSettings } from './acquisition-search.ts';
import { anyFeasible } from './candidates.ts';
import { FeasibleDesign } from './initial-design.ts';
import { fantasizes, fantasyModel, localPenalty, type PendingStrategy } from './pending.ts';
import { completed, modelInput, outcomeOf, sameContext, triedKeys, type Observation, type ProposalCost, type Sampler } from './sampler.ts';
import { farthestCandidate } from './space-filling.ts';
import { fitSuccessModel } from './success-model.ts';

export interface GpEiOptions {
  /** The study's trial budget; sizes the default initial design and, with a cost, how fast its weight cools. */
  budget?: number;
  /** Space-filling proposals before the model takes over. */
  initialTrials?: number;
  /** Fixes the initial design. */
  seed?: number;
  /** How trials still running shape a proposal (pending.ts): the default, `liar-min`, won the benchmark (above); the others are kept for it. */
  pending?: PendingStrategy;
}

export const DEFAULT_PENDING_STRATEGY: PendingStrategy = 'liar-min';

/** How many of the best trials seed moves into the raw samples. */
const SEED_TRIALS = 5;
/** The trial budget assumed when none is given. */
const DEFAULT_BUDGET = 50;
/** Predicted seconds are floored here before their log: a free move must not be infinitely attractive. */
const MIN_COST_SECONDS = 1e-3;

export class GpEiSampler implements Sampler {
  readonly name = 'bo';
  readonly budget: number;
  readonly initialTrials: number;
  readonly pending: PendingStrategy;
  private readonly seed: number;
  private design: { space: SearchSpace; design: FeasibleDesign } | undefined;

  constructor(options: GpEiOptions = {}) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
    this.initialTrials = options.initialTrials ?? Math.max(5, Math.min(8, Math.ceil(this.budget / 10)));
    this.seed = options.seed ?? 0;
    this.pending = options.pending ?? DEFAULT_PENDING_STRATEGY;
  }

  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng, context?: readonly number[], cost?: ProposalCost): Params {
    const here = context === undefined ? history : history.filter((o) => sameContext(o.context, context));
    const tried = triedKeys(space, here);
    if (here.length < this.initialTrials) {
      const elsewhere = history.filter((o) => !here.includes(o)).map((o) => o.params);
      return this.designFor(space).next(here.map((o) => o.params), elsewhere) ?? anyFeasible(space, rng, tried);
    }
    const done = completed(history);
    if (done.length < 2) return farthestCandidate(space, here, rng);
    const inputOf = (o: Observation) => modelInput(space, o);
    const fitted = GaussianProcess.fit(done.map(inputOf), done.map((o) => o.value), { noise: done.map((o) => o.noiseVariance ?? 0) });
    const running = history.filter((o) => outcomeOf(o) === 'pending');
    const peers = running.map((pending) => done.flatMap((o, i) => (pending.context === undefined || sameContext(o.context, pending.context) ? [i] : [])));
    const model = fantasyModel(fitted, running.map(inputOf), this.pending, peers);
    // Fantasies are observations of the model like any other: in the proposal's context, they may be the incumbent.
    const observed = fantasizes(this.pending) ? [...done, ...running] : done;
    const inContext = observed.flatMap((o, i) => (context === undefined || sameContext(o.context, context) ? [i] : []));
    const improvement = new NoisyExpectedImprovement(model, rng.fork('noisy-ei'), { baseline: inContext.length > 0 ? inContext : undefined });
    const penalty = this.pending === 'penalize' ? localPenalty(fitted, running.map(inputOf), rng.fork('local-penalty')) : undefined;
    const success = fitSuccessModel(history, inputOf);
    const withContext = (point: readonly number[]) => (context === undefined ? [...point] : [...point, ...context]);
    const costWeight = cost === undefined ? 0 : costCooling(here.length, this.budget, this.initialTrials);
    const priced = costWeight > 0 ? cost : undefined;
    const logCost = (point: readonly number[]) => (priced === undefined ? 0 : costWeight * Math.log(Math.max(MIN_COST_SECONDS, priced.seconds(decode(space, point)))));
    const acquisition: Acquisition = {
      values: (points) => {
        const inputs = points.map(withContext);
        const feasibility = success.probabilities(inputs);
        return inputs.map((input, i) => improvement.logValue(input) + Math.log(feasibility[i] as number) + (penalty?.log(input) ?? 0) - logCost(points[i] as readonly number[]));
      },
      withGradient: (point) => {
        const input = withContext(point);
        const ei = improvement.logValueWithGradient(input);
        const runs = success.logWithGradient(input);
        const away = penalty?.logWithGradient(input);
        return {
          value: ei.value + runs.value + (away?.value ?? 0),
          gradient: point.map((_, k) => (ei.gradient[k] as number) + (runs.gradient[k] as number) + ((away?.gradient[k] as number | undefined) ?? 0)),
        };
      },
    };
    const seeds = [...completed(here)].sort((a, b) => a.value - b.value).slice(0, SEED_TRIALS).map((o) => o.params);
    const deployed = priced?.deployed;
    if (deployed !== undefined && !seeds.some((seed) => configurationKey(space, seed) === configurationKey(space, deployed))) seeds.push(deployed);
    const best = maximizeAcquisition(space, acquisition, seeds, tried, rng, searchSettings(done.length), deployed);
    return best?.params ?? anyFeasible(space, rng, tried);
  }

  /** The design depends on the space, which a sampler learns only when first asked. */
  private designFor(space: SearchSpace): FeasibleDesign {
    if (this.design?.space !== space) this.design = { space, design: new FeasibleDesign(space, this.initialTrials, this.seed) };
    return this.design.design;
  }
}

/**
 * CArBO's cost exponent α for the next proposal after `trials` (running ones included): 1 when the model takes
 * over from the initial design, falling linearly to 0 as the rest of the budget is spent; 0 past the budget.
 */
export function costCooling(trials: number, budget: number, initialTrials: number): number {
  const modelTrials = budget - initialTrials;
  return modelTrials > 0 ? Math.min(1, Math.max(0, (budget - trials) / modelTrials)) : 0;
}

/**
 * Each prediction costs O(n²) in the number of trials, so the search shrinks as history grows to keep a
 * suggestion within about a second at 500 trials. Ten gradient climbs rather than five: on bench/optimizers they
 * brought the serving problem within 5% of its optimum by 50 trials in 16 of 20 seeds instead of 13.
 */
function searchSettings(trials: number): SearchSettings {
  const candidates = Math.round(Math.min(1000, Math.max(200, 1000 * (120 / trials) ** 2)));
  return { candidates, perturbations: trials > 200 ? 40 : 100, starts: trials > 200 ? 3 : 10, climbRounds: trials > 200 ? 6 : 20 };
}
