/**
 * Prints the cross-model analysis of stored studies (rank agreement, transfer penalty from the GP posterior or
 * a measurement, parameter importance), as `tune report` shows it once wired in.
 *
 *   node --import tsx bench/dse/cross-model.ts <db> <study> <study> [...]
 */
import { spaceContext } from '../../src/host/host.ts';
import { crossModelAnalysis } from '../../src/dse/cross-model/analysis.ts';
import { storedSpaceReader } from '../../src/dse/cross-model/study-model.ts';
import { crossModelLines } from '../../src/dse/cross-model/view.ts';
import { loadStudies } from '../../src/report/study-trials.ts';
import { SqliteStorage } from '../../src/storage/sqlite.ts';

const [db, ...ids] = process.argv.slice(2);
if (db === undefined || ids.length < 2) throw new Error('usage: cross-model.ts <db> <study> <study> [...]');
const opened = SqliteStorage.open(db);
if (!opened.ok) throw new Error(opened.error.message);
try {
  const loaded = loadStudies(opened.storage, ids);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const analysis = crossModelAnalysis(loaded.studies, { spaceOf: storedSpaceReader(spaceContext()) });
  console.log(crossModelLines(analysis).join('\n'));
} finally {
  opened.storage.close();
}
