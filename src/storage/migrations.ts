/**
 * Ordered schema migrations, tracked in `PRAGMA user_version`. A shipped migration is never edited: a change to
 * the schema is a new entry at the end of the list.
 */
import type { Database } from 'better-sqlite3';
import { StorageError } from './errors.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

// Standard search-space parameters are exposed as generated columns so ad-hoc SQL can filter and group on them.
const V1_TABLES = `
CREATE TABLE studies (
  id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  concurrency INTEGER NOT NULL,
  strategy TEXT NOT NULL,
  seed INTEGER NOT NULL,
  budget INTEGER NOT NULL,
  objective TEXT NOT NULL CHECK (objective IN ('mean', 'p99', 'cost')),
  slo_p99_ms REAL,
  space_json TEXT NOT NULL,
  duration_s REAL NOT NULL,
  warmup_s REAL NOT NULL,
  host_json TEXT NOT NULL,
  host_name TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.hostname')) VIRTUAL,
  host_cpus INTEGER GENERATED ALWAYS AS (json_extract(host_json, '$.cpus')) VIRTUAL,
  host_cpu_model TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.cpuModel')) VIRTUAL,
  host_memory_bytes INTEGER GENERATED ALWAYS AS (json_extract(host_json, '$.memoryBytes')) VIRTUAL,
  host_platform TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.platform')) VIRTUAL,
  host_node_version TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.nodeVersion')) VIRTUAL,
  host_docker_version TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.dockerVersion')) VIRTUAL,
  created_at TEXT NOT NULL
);

CREATE TABLE trials (
  study_id TEXT NOT NULL REFERENCES studies (id),
  number INTEGER NOT NULL CHECK (number >= 0),
  state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'interrupted')),
  params_json TEXT NOT NULL,
  replicas INTEGER GENERATED ALWAYS AS (json_extract(params_json, '$.replicas')) VIRTUAL,
  cpus REAL GENERATED ALWAYS AS (json_extract(params_json, '$.cpus')) VIRTUAL,
  memory_mb INTEGER GENERATED ALWAYS AS (json_extract(params_json, '$.memory_mb')) VIRTUAL,
  max_batch_size INTEGER GENERATED ALWAYS AS (json_extract(params_json, '$.max_batch_size')) VIRTUAL,
  batch_timeout_us INTEGER GENERATED ALWAYS AS (json_extract(params_json, '$.batch_timeout_us')) VIRTUAL,
  intra_op_threads INTEGER GENERATED ALWAYS AS (json_extract(params_json, '$.intra_op_threads')) VIRTUAL,
  inter_op_threads INTEGER GENERATED ALWAYS AS (json_extract(params_json, '$.inter_op_threads')) VIRTUAL,
  execution_mode TEXT GENERATED ALWAYS AS (json_extract(params_json, '$.execution_mode')) VIRTUAL,
  graph_optimization_level TEXT GENERATED ALWAYS AS (json_extract(params_json, '$.graph_optimization_level')) VIRTUAL,
  precision TEXT GENERATED ALWAYS AS (json_extract(params_json, '$.precision')) VIRTUAL,
  failure_kind TEXT,
  failure_message TEXT,
  mean_ms REAL,
  mean_ci95_ms REAL,
  p50_ms REAL,
  p90_ms REAL,
  p95_ms REAL,
  p99_ms REAL,
  max_ms REAL,
  throughput_rps REAL,
  requests INTEGER,
  errors INTEGER,
  errors_json TEXT,
  cpu_seconds REAL,
  peak_memory_bytes INTEGER,
  energy_j REAL,
  energy_source TEXT CHECK (energy_source IN ('estimate', 'rapl')),
  joules_per_request REAL,
  cost_usd REAL,
  usd_per_million REAL,
  window_s REAL,
  objective_value REAL,
  deploy_seconds REAL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  PRIMARY KEY (study_id, number)
);

CREATE TABLE histograms (
  study_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  upper_ms REAL NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (study_id, number, upper_ms),
  FOREIGN KEY (study_id, number) REFERENCES trials (study_id, number)
);
`;

const V2_CLAIMS = `
CREATE TABLE study_claims (
  study_id TEXT PRIMARY KEY REFERENCES studies (id),
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  claimed_at TEXT NOT NULL
);
`;

/**
 * The energy objective and trade-off studies: `objective` may be energy, and `objectives` lists every objective
 * of a study minimising several (comma-joined, the primary `objective` first; NULL for a single objective).
 * SQLite cannot alter a CHECK, so the table is rebuilt: copied aside, dropped and created anew, under deferred
 * foreign keys (trials and claims reference it; re-inserting the parents satisfies them again before commit).
 * Rows are re-inserted in rowid order, which keeps the creation order listStudies breaks ties by.
 */
const V3_OBJECTIVE_LISTS = `
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE studies_v2 AS SELECT rowid AS old_rowid, * FROM studies;
DROP TABLE studies;
CREATE TABLE studies (
  id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  concurrency INTEGER NOT NULL,
  strategy TEXT NOT NULL,
  seed INTEGER NOT NULL,
  budget INTEGER NOT NULL,
  objective TEXT NOT NULL CHECK (objective IN ('mean', 'p99', 'cost', 'energy')),
  objectives TEXT CHECK (objectives IS NULL OR objectives LIKE objective || ',%'),
  slo_p99_ms REAL,
  space_json TEXT NOT NULL,
  duration_s REAL NOT NULL,
  warmup_s REAL NOT NULL,
  host_json TEXT NOT NULL,
  host_name TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.hostname')) VIRTUAL,
  host_cpus INTEGER GENERATED ALWAYS AS (json_extract(host_json, '$.cpus')) VIRTUAL,
  host_cpu_model TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.cpuModel')) VIRTUAL,
  host_memory_bytes INTEGER GENERATED ALWAYS AS (json_extract(host_json, '$.memoryBytes')) VIRTUAL,
  host_platform TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.platform')) VIRTUAL,
  host_node_version TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.nodeVersion')) VIRTUAL,
  host_docker_version TEXT GENERATED ALWAYS AS (json_extract(host_json, '$.dockerVersion')) VIRTUAL,
  created_at TEXT NOT NULL
);
INSERT INTO studies (id, model, concurrency, strategy, seed, budget, objective, slo_p99_ms, space_json, duration_s, warmup_s, host_json, created_at)
  SELECT id, model, concurrency, strategy, seed, budget, objective, slo_p99_ms, space_json, duration_s, warmup_s, host_json, created_at
  FROM studies_v2 ORDER BY old_rowid;
DROP TABLE studies_v2;
`;

/**
 * Where a study runs: its deployment backend and how many trials it keeps in flight; the cluster nodes each
 * trial's replicas ran on (comma-joined node names, NULL on a single Docker host) and when its replicas were ready
 * (with trials in flight, a trial may wait for CPUs or nodes between starting and deploying).
 */
const V4_BACKENDS = `
ALTER TABLE studies ADD COLUMN backend TEXT NOT NULL DEFAULT 'docker' CHECK (backend IN ('docker', 'swarm'));
ALTER TABLE studies ADD COLUMN parallel INTEGER NOT NULL DEFAULT 1 CHECK (parallel >= 1);
ALTER TABLE trials ADD COLUMN nodes TEXT;
ALTER TABLE trials ADD COLUMN ready_at TEXT;
`;

/**
 * Cheaper trials: whether a study stops hopeless measurements early, keeps replicas between trials and weighs a
 * move's cost (0/1; off on older studies, which did none of it); per trial how its replicas were deployed and
 * whether its window was cut short.
 */
const V5_CHEAPER_TRIALS = `
ALTER TABLE studies ADD COLUMN early_stop INTEGER NOT NULL DEFAULT 0 CHECK (early_stop IN (0, 1));
ALTER TABLE studies ADD COLUMN reconfigure INTEGER NOT NULL DEFAULT 0 CHECK (reconfigure IN (0, 1));
ALTER TABLE studies ADD COLUMN cost_aware INTEGER NOT NULL DEFAULT 0 CHECK (cost_aware IN (0, 1));
ALTER TABLE trials ADD COLUMN deploy_mode TEXT CHECK (deploy_mode IN ('fresh', 'reconfigured', 'reloaded'));
ALTER TABLE trials ADD COLUMN stopped_early INTEGER NOT NULL DEFAULT 0 CHECK (stopped_early IN (0, 1));
`;

/**
 * Confirmation rounds: how many contenders a study confirms after its budget (0: none, as on older studies), and
 * per trial whether it is a search trial or one measuring a search trial's configuration again, in which round.
 */
const V6_CONFIRMATION = `
ALTER TABLE studies ADD COLUMN confirm INTEGER NOT NULL DEFAULT 0 CHECK (confirm >= 0);
ALTER TABLE trials ADD COLUMN kind TEXT NOT NULL DEFAULT 'search' CHECK (kind IN ('search', 'confirmation'));
ALTER TABLE trials ADD COLUMN confirms INTEGER;
ALTER TABLE trials ADD COLUMN round INTEGER CHECK (round >= 1);
`;

/**
 * A study's traffic and protocol: the recorded workload file it replays and its sha256 (both NULL: the generated
 * workload), the inference API the load speaks ('v1' on older studies), and the item shapes fixing a user model's
 * dynamic input dims (JSON object of input name to dims; NULL: none given).
 */
const V7_WORKLOADS = `
ALTER TABLE studies ADD COLUMN workload_file TEXT;
ALTER TABLE studies ADD COLUMN workload_sha256 TEXT CHECK ((workload_file IS NULL) = (workload_sha256 IS NULL));
ALTER TABLE studies ADD COLUMN api TEXT NOT NULL DEFAULT 'v1' CHECK (api IN ('v1', 'v2'));
ALTER TABLE studies ADD COLUMN input_shapes TEXT;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'studies, trials and latency histograms', sql: V1_TABLES },
  { version: 2, description: 'which process is running a study', sql: V2_CLAIMS },
  { version: 3, description: 'the energy objective and studies minimising several objectives', sql: V3_OBJECTIVE_LISTS },
  { version: 4, description: 'deployment backends, parallel trials and the nodes a trial ran on', sql: V4_BACKENDS },
  { version: 5, description: 'early stopping, live reconfiguration and cost-aware proposals', sql: V5_CHEAPER_TRIALS },
  { version: 6, description: 'confirmation rounds and the trials that measure a winner again', sql: V6_CONFIRMATION },
  { version: 7, description: 'recorded workloads, the inference API and user models\' input shapes', sql: V7_WORKLOADS },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function hasTables(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined;
}

/**
 * Brings the database up to SCHEMA_VERSION in one immediate transaction, so two processes opening a fresh file
 * at once cannot both migrate. Re-stamping the version on every open doubles as a write probe: a read-only
 * database fails here rather than on the first trial.
 */
export function migrate(db: Database, displayPath: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.length;
  db.transaction(() => {
    const current = schemaVersion(db);
    if (current > latest) throw schemaTooNew(displayPath, current, latest);
    if (current === 0 && hasTables(db)) throw notTuneDatabase(displayPath); // someone else's SQLite file
    for (const migration of migrations.slice(current)) db.exec(migration.sql);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
}

/** A read-only open cannot migrate: the schema must be exactly this tune's. */
export function checkSchemaReadable(db: Database, displayPath: string): void {
  const found = schemaVersion(db);
  if (found > SCHEMA_VERSION) throw schemaTooNew(displayPath, found, SCHEMA_VERSION);
  if (found === 0) throw notTuneDatabase(displayPath);
  if (found < SCHEMA_VERSION) {
    throw new StorageError(
      'schema_too_old',
      `${displayPath} was written by an older tune (schema ${found} < ${SCHEMA_VERSION}): run any tune command that writes to it to upgrade it`,
    );
  }
}

function notTuneDatabase(displayPath: string): StorageError {
  return new StorageError('db_corrupt', `${displayPath} is not a tune database (no tune schema in it): use another --db`);
}

function schemaTooNew(displayPath: string, found: number, supported: number): StorageError {
  return new StorageError(
    'schema_too_new',
    `${displayPath} was written by a newer tune (schema ${found} > ${supported}): upgrade tune or use another --db`,
  );
}
