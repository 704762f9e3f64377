/**
 * Storage in one SQLite file (better-sqlite3): WAL so reports can read while a study writes, synchronous=FULL so
 * a recorded trial survives a power cut, and one transaction per trial so a crash never leaves half a trial.
 */
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { StorageError } from './errors.ts';
import { claimRefusal, histogramProblem, lifecycleError } from './lifecycle.ts';
import { checkSchemaReadable, migrate } from './migrations.ts';
import { outcomeToRow, rowToStudy, rowToTrial, studyToRow, type StudyRow, type TrialRow } from './rows.ts';
import { translateSqliteError } from './sqlite-errors.ts';
import type { Confirming, HistogramBucket, StudyRecord, TrialOutcome, TrialRecord } from '../domain/records.ts';
import type { ClaimResult, Storage, StudyRunner } from './storage.ts';
import type { Params } from '../space/params.ts';

export interface SqliteOptions {
  /** How long a write waits for another process's lock before failing with db_locked. */
  busyTimeoutMs?: number;
  /** For reports: never writes, so it works on a file it may not change and takes no write lock. */
  readOnly?: boolean;
  now?: () => Date;
}

export type OpenResult = { ok: true; storage: SqliteStorage } | { ok: false; error: StorageError };

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const SQL = {
  insertStudy: `INSERT INTO studies (id, model, concurrency, strategy, seed, budget, objective, objectives, slo_p99_ms, space_json,
      duration_s, warmup_s, host_json, created_at, backend, parallel, early_stop, reconfigure, cost_aware, confirm,
      workload_file, workload_sha256, api, input_shapes)
    VALUES (@id, @model, @concurrency, @strategy, @seed, @budget, @objective, @objectives, @slo_p99_ms, @space_json,
      @duration_s, @warmup_s, @host_json, @created_at, @backend, @parallel, @early_stop, @reconfigure, @cost_aware, @confirm,
      @workload_file, @workload_sha256, @api, @input_shapes)`,
  selectStudy: 'SELECT * FROM studies WHERE id = ?',
  selectStudies: 'SELECT * FROM studies ORDER BY created_at, rowid',
  insertTrial: `INSERT INTO trials (study_id, number, state, params_json, kind, confirms, round, started_at)
    VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
  selectTrialState: 'SELECT state FROM trials WHERE study_id = ? AND number = ?',
  finishTrial: `UPDATE trials SET state = @state, failure_kind = @failure_kind, failure_message = @failure_message,
      mean_ms = @mean_ms, mean_ci95_ms = @mean_ci95_ms, p50_ms = @p50_ms, p90_ms = @p90_ms, p95_ms = @p95_ms,
      p99_ms = @p99_ms, max_ms = @max_ms, throughput_rps = @throughput_rps, requests = @requests, errors = @errors,
      errors_json = @errors_json, cpu_seconds = @cpu_seconds, peak_memory_bytes = @peak_memory_bytes,
      energy_j = @energy_j, energy_source = @energy_source, joules_per_request = @joules_per_request,
      cost_usd = @cost_usd, usd_per_million = @usd_per_million, window_s = @window_s,
      objective_value = @objective_value, deploy_seconds = @deploy_seconds, nodes = @nodes, ready_at = @ready_at,
      deploy_mode = @deploy_mode, stopped_early = @stopped_early, finished_at = @finished_at
    WHERE study_id = @study_id AND number = @number`,
  insertBucket: 'INSERT INTO histograms (study_id, number, upper_ms, count) VALUES (?, ?, ?, ?)',
  selectTrials: 'SELECT * FROM trials WHERE study_id = ? ORDER BY number',
  selectHistogram: 'SELECT upper_ms AS upperMs, count FROM histograms WHERE study_id = ? AND number = ? ORDER BY upper_ms',
  selectClaim: 'SELECT host, pid, claimed_at AS since FROM study_claims WHERE study_id = ?',
  upsertClaim: `INSERT INTO study_claims (study_id, host, pid, claimed_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (study_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, claimed_at = excluded.claimed_at`,
  deleteClaim: 'DELETE FROM study_claims WHERE study_id = ? AND host = ? AND pid = ?',
} as const;

type Statements = { [K in keyof typeof SQL]: Statement };

/** Runs setup on a new connection, closing it if setup fails so no file handle leaks. */
function prepared(db: Database, setup: (db: Database) => void): Database {
  try {
    setup(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function openForWriting(path: string, busyTimeoutMs: number): Database {
  return prepared(new BetterSqlite3(path, { timeout: busyTimeoutMs }), (db) => {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
  });
}

function openForReading(path: string, busyTimeoutMs: number): Database {
  const db = new BetterSqlite3(path, { timeout: busyTimeoutMs, readonly: true, fileMustExist: true });
  return prepared(db, () => checkSchemaReadable(db, path));
}

export class SqliteStorage implements Storage {
  private readonly statements: Statements;

  private constructor(
    private readonly db: Database,
    private readonly displayPath: string,
    private readonly busyTimeoutMs: number,
    private readonly now: () => Date,
  ) {
    this.statements = Object.fromEntries(
      Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as Statements;
  }

  /** Opens (creating and migrating if needed) the database at `path`; ':memory:' gives a private database. */
  static open(path: string, options: SqliteOptions = {}): OpenResult {
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    try {
      const db = options.readOnly ? openForReading(path, busyTimeoutMs) : openForWriting(path, busyTimeoutMs);
      return { ok: true, storage: new SqliteStorage(db, path, busyTimeoutMs, options.now ?? (() => new Date())) };
    } catch (error) {
      const translated = translateSqliteError(error, path, busyTimeoutMs);
      if (translated instanceof StorageError) return { ok: false, error: translated };
      throw translated;
    }
  }

  createStudy(study: StudyRecord): void {
    this.write(() => {
      if (this.statements.selectStudy.get(study.id) !== undefined) throw lifecycleError.studyExists(study.id);
      this.statements.insertStudy.run(studyToRow(study));
    });
  }

  getStudy(id: string): StudyRecord | undefined {
    const row = this.translatingErrors(() => this.statements.selectStudy.get(id) as StudyRow | undefined);
    return row && rowToStudy(row);
  }

  listStudies(): StudyRecord[] {
    return this.translatingErrors(() => this.statements.selectStudies.all() as StudyRow[]).map(rowToStudy);
  }

  startTrial(studyId: string, number: number, params: Params, confirming?: Confirming): void {
    this.write(() => {
      if (this.statements.selectStudy.get(studyId) === undefined) throw lifecycleError.studyNotFound(studyId);
      if (this.statements.selectTrialState.get(studyId, number) !== undefined) {
        throw lifecycleError.trialExists(studyId, number);
      }
      const kind = confirming === undefined ? 'search' : 'confirmation';
      this.statements.insertTrial.run(studyId, number, JSON.stringify(params), kind, confirming?.confirms ?? null, confirming?.round ?? null, this.now().toISOString());
    });
  }

  finishTrial(studyId: string, number: number, outcome: TrialOutcome): void {
    this.write(() => {
      const found = this.statements.selectTrialState.get(studyId, number) as { state: string } | undefined;
      if (found === undefined) throw lifecycleError.trialNotFound(studyId, number);
      if (found.state !== 'running') throw lifecycleError.trialNotRunning(studyId, number, found.state);
      const problem = histogramProblem(outcome.histogram ?? []);
      if (problem) throw problem;
      const row = outcomeToRow(outcome, this.now().toISOString());
      this.statements.finishTrial.run({ ...row, study_id: studyId, number });
      for (const bucket of outcome.histogram ?? []) {
        this.statements.insertBucket.run(studyId, number, bucket.upperMs, bucket.count);
      }
    });
  }

  trials(studyId: string): TrialRecord[] {
    return this.translatingErrors(() => this.statements.selectTrials.all(studyId) as TrialRow[]).map(rowToTrial);
  }

  histogram(studyId: string, number: number): HistogramBucket[] {
    return this.translatingErrors(() => this.statements.selectHistogram.all(studyId, number) as HistogramBucket[]);
  }

  claimStudy(studyId: string, runner: StudyRunner, isAlive: (holder: StudyRunner) => boolean): ClaimResult {
    // Read and write under one write lock: two processes claiming at once see each other's claim.
    return this.write(() => {
      if (this.statements.selectStudy.get(studyId) === undefined) throw lifecycleError.studyNotFound(studyId);
      const held = this.statements.selectClaim.get(studyId) as (StudyRunner & { since: string }) | undefined;
      const refusal = claimRefusal(held, runner, isAlive);
      if (refusal) return refusal;
      this.statements.upsertClaim.run(studyId, runner.host, runner.pid, this.now().toISOString());
      return { ok: true } as const;
    });
  }

  releaseStudy(studyId: string, runner: StudyRunner): void {
    this.write(() => this.statements.deleteClaim.run(studyId, runner.host, runner.pid));
  }

  close(): void {
    this.db.close();
  }

  /** Runs `body` in one immediate transaction: it takes the write lock up front, so it either all lands or none. */
  private write<T>(body: () => T): T {
    return this.translatingErrors(() => this.db.transaction(body).immediate());
  }

  private translatingErrors<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw translateSqliteError(error, this.displayPath, this.busyTimeoutMs);
    }
  }
}
