/**
 * The table of bench/confirmation/run.sh's studies: per study, the trial the search alone would name (its
 * posterior best, the first contender), the lowest single window, and the confirmed winner; whether confirmation
 * changed the answer; the winner's re-measured mean against the one window the search had recorded for it (the
 * optimism of a single window), the verdict, its rounds, P(best) and the margin over the runner-up.
 *
 *   npx tsx bench/confirmation/analyze.ts --db bench/confirmation/marian-c20-b30.db
 */
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { confirmationVerdict } from '../../src/domain/confirmation.ts';
import { studyTimeSpent } from '../../src/domain/time-spent.ts';
import { bestTrial } from '../../src/domain/trials.ts';
import { formatDuration, formatPercent, formatValue } from '../../src/report/format.ts';
import { SqliteStorage } from '../../src/storage/sqlite.ts';

const { values } = parseArgs({ options: { db: { type: 'string' } } });
if (values.db === undefined) throw new Error('--db <file> is required');
const opened = SqliteStorage.open(values.db, { readOnly: true });
if (!opened.ok) throw opened.error;
const studies = opened.storage.listStudies().map((study) => ({ study, trials: opened.storage.trials(study.id) }));
opened.storage.close();

const optimism: number[] = [];
const rows = studies.flatMap(({ study, trials }) => {
  const verdict = confirmationVerdict(trials);
  if (verdict === undefined) return [];
  const winner = verdict.standings.find((s) => s.number === verdict.winner);
  const searchPick = verdict.standings.find((s) => s.number === verdict.searchPick);
  // Search value ÷ re-measured mean, for every contender measured again: below 1, the single window was lucky.
  for (const s of verdict.standings) if (s.searchValue !== undefined && s.mean !== undefined) optimism.push(s.searchValue / s.mean);
  const time = studyTimeSpent({ study, trials });
  return [[
    study.id,
    `#${verdict.searchPick}`,
    `#${bestTrial(trials)?.number ?? '–'}`,
    `#${verdict.winner ?? '–'}`,
    verdict.winner === verdict.searchPick ? 'no' : 'yes',
    `${formatValue(winner?.searchValue)} → ${formatValue(winner?.mean)} ± ${formatValue(winner?.ci95)}`,
    searchPick === winner ? '–' : `${formatValue(searchPick?.searchValue)} → ${formatValue(searchPick?.mean)}`,
    `${verdict.status}, ${verdict.rounds} rounds`,
    winner?.probabilityBest?.toFixed(2) ?? '–',
    verdict.margin ? `${formatPercent(verdict.margin.relative)} ± ${formatPercent(verdict.margin.ci95 / (winner?.mean ?? 1))}` : '–',
    `${formatDuration(time.confirmingS)} of ${formatDuration(time.wallS)}`,
  ]];
});
const header = ['study', 'search pick', 'lowest window', 'confirmed winner', 'changed', 'winner: search ms → rounds ms', 'search pick: search → rounds', 'verdict', 'P(best)', 'margin over runner-up', 'confirming'];
console.log([`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)].join('\n'));
if (optimism.length > 0) {
  console.log(`\nsearch window ÷ re-measured mean over ${optimism.length} contenders: median ${median(optimism).toFixed(3)}, min ${Math.min(...optimism).toFixed(3)}, max ${Math.max(...optimism).toFixed(3)}`);
}
