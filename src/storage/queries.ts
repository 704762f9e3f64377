/**
 * Ready-to-paste SQL for `sqlite3 experiments.db`, quoted in the README and tested against a populated database.
 * Latency here is the mean round-trip time of complete trials, the source project's objective.
 */

import { INFRASTRUCTURE_FAILURES } from '../domain/vocabulary.ts';

export interface NamedQuery {
  title: string;
  sql: string;
}

/** isMeasuredAttempt (src/domain/trials.ts) in SQL: a search trial that measured, or failed because of, its configuration. */
function measuredAttempt(table?: string): string {
  const column = (name: string) => (table === undefined ? name : `${table}.${name}`);
  const infrastructure = INFRASTRUCTURE_FAILURES.map((kind) => `'${kind}'`).join(', ');
  return `${column('kind')} = 'search' AND (${column('state')} = 'complete' OR (${column('state')} = 'failed' AND ${column('failure_kind')} NOT IN (${infrastructure})))`;
}

export const BEST_CONFIGURATION_PER_MODEL_AND_CONCURRENCY: NamedQuery = {
  title: 'Best configuration per model and concurrency',
  sql: `SELECT model, concurrency, mean_ms, p99_ms, throughput_rps, strategy, study, trial, params_json
FROM (
  SELECT s.model, s.concurrency, t.mean_ms, t.p99_ms, t.throughput_rps, s.strategy, s.id AS study,
         t.number AS trial, t.params_json,
         ROW_NUMBER() OVER (PARTITION BY s.model, s.concurrency ORDER BY t.mean_ms, s.id, t.number) AS rank
  FROM trials t JOIN studies s ON s.id = t.study_id
  WHERE t.state = 'complete' AND t.kind = 'search'
)
WHERE rank = 1
ORDER BY model, concurrency;`,
};

export const BO_VS_RANDOM_BEST_SO_FAR: NamedQuery = {
  title: 'BO against random search: best-so-far mean latency per measured trial, over seeds',
  sql: `WITH attempts AS (
  SELECT s.model, s.concurrency, s.strategy, s.id AS study, t.state, t.mean_ms,
         ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY t.number) - 1 AS attempt
  FROM trials t JOIN studies s ON s.id = t.study_id
  WHERE s.strategy IN ('bo', 'random') AND ${measuredAttempt('t')}
), best_so_far AS (
  SELECT model, concurrency, strategy, study, attempt,
         MIN(CASE WHEN state = 'complete' THEN mean_ms END)
           OVER (PARTITION BY study ORDER BY attempt ROWS UNBOUNDED PRECEDING) AS best_ms
  FROM attempts
)
SELECT model, concurrency, attempt AS trial, strategy, COUNT(best_ms) AS seeds,
       ROUND(AVG(best_ms), 2) AS mean_best_ms, ROUND(MIN(best_ms), 2) AS min_best_ms, ROUND(MAX(best_ms), 2) AS max_best_ms
FROM best_so_far
GROUP BY model, concurrency, attempt, strategy
ORDER BY model, concurrency, attempt, strategy;`,
};

export const FAILED_TRIALS_AND_WHY: NamedQuery = {
  title: 'Failed and interrupted trials, and why',
  sql: `SELECT s.id AS study, s.model, s.concurrency, t.number AS trial, t.state, t.failure_kind, t.failure_message,
       t.replicas, t.cpus, t.memory_mb, t.max_batch_size, t.precision
FROM trials t JOIN studies s ON s.id = t.study_id
WHERE t.state IN ('failed', 'interrupted')
ORDER BY s.id, t.number;`,
};


/** The rules of src/domain/trials.ts in SQL: the baseline is the first trial that measured its configuration. */
export const BASELINE_BEST_AND_SPEEDUP: NamedQuery = {
  title: 'Baseline, best and speed-up per study',
  sql: `WITH attempts AS (
  SELECT study_id, number, state, objective_value,
         ROW_NUMBER() OVER (PARTITION BY study_id ORDER BY number) AS attempt
  FROM trials
  WHERE ${measuredAttempt()}
), best AS (
  SELECT study_id, number, objective_value,
         ROW_NUMBER() OVER (PARTITION BY study_id ORDER BY objective_value, number) AS rank
  FROM trials
  WHERE state = 'complete' AND kind = 'search'
)
SELECT s.id AS study, s.objective, b.number AS baseline_trial,
       CASE WHEN b.state = 'complete' THEN b.objective_value END AS baseline_value,
       best.number AS best_trial, best.objective_value AS best_value,
       ROUND(CASE WHEN b.state = 'complete' AND best.objective_value > 0 THEN b.objective_value / best.objective_value END, 2) AS speedup
FROM studies s
LEFT JOIN attempts b ON b.study_id = s.id AND b.attempt = 1
LEFT JOIN best ON best.study_id = s.id AND best.rank = 1
ORDER BY s.id;`,
};

/** What confirmation rounds found (src/domain/confirmation.ts has the verdict): each contender's one search window against its rounds. */
export const CONFIRMATION_ROUNDS: NamedQuery = {
  title: 'Confirmation rounds: each contender’s search window against its rounds',
  sql: `SELECT s.id AS study, c.confirms AS trial, t.objective_value AS search_value, COUNT(c.number) AS rounds,
       ROUND(AVG(c.objective_value), 2) AS rounds_mean, ROUND(MIN(c.objective_value), 2) AS rounds_min,
       ROUND(MAX(c.objective_value), 2) AS rounds_max
FROM trials c JOIN studies s ON s.id = c.study_id
JOIN trials t ON t.study_id = c.study_id AND t.number = c.confirms
WHERE c.kind = 'confirmation' AND c.state = 'complete'
GROUP BY s.id, c.confirms
ORDER BY s.id, rounds_mean;`,
};

export const README_QUERIES: readonly NamedQuery[] = [
  BEST_CONFIGURATION_PER_MODEL_AND_CONCURRENCY,
  BASELINE_BEST_AND_SPEEDUP,
  BO_VS_RANDOM_BEST_SO_FAR,
  FAILED_TRIALS_AND_WHY,
  CONFIRMATION_ROUNDS,
];
