/** Every energy figure says where it came from: estimated (and from what) or measured by RAPL, never a bare number. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatSummary } from '../../../src/cli/summary-text.ts';
import { summarizeStudy } from '../../../src/domain/summary.ts';
import { paretoHtml, paretoListings, paretoTableLines } from '../../../src/dse/pareto.ts';
import { studyTradeoff, tradeoffLines } from '../../../src/dse/tradeoff.ts';
import { energyColumnTitle, energySources, energyTitle, formatEnergy, formatObjective } from '../../../src/report/format.ts';
import { costedTrial, studyWith } from './fixtures.ts';

const ESTIMATED = 'estimated from CPU time and reserved CPUs and memory';

describe('energy wording', () => {
  test('one source is said once, in the title; mixed sources are said per figure', () => {
    assert.deepEqual(energySources([{ energySource: 'rapl' }, undefined, { energySource: 'estimate' }, { energySource: 'rapl' }]), ['estimate', 'rapl']);
    assert.equal(energyTitle('J/req', ['estimate']), `J/req, ${ESTIMATED}`);
    assert.equal(energyTitle('J/req', ['rapl']), 'J/req, measured by RAPL');
    assert.equal(energyTitle('J/req', []), 'J/req');
    assert.equal(energyColumnTitle('J/req', ['estimate', 'rapl']), 'J/req (estimated or RAPL)');
    assert.equal(formatEnergy(0.25, 'estimate', ['estimate']), '0.25');
    assert.equal(formatEnergy(0.25, 'rapl', ['estimate', 'rapl']), '0.25 RAPL');
    assert.equal(formatEnergy(0.25, 'estimate', ['estimate', 'rapl']), '0.25 estimated');
    assert.equal(formatObjective(0.25, 'energy', ['rapl']), '0.25 J/req (measured by RAPL)');
    assert.equal(formatObjective(0.25, 'mean', ['rapl']), '0.25 ms', 'only energy carries a source');
  });

  test('the summary of `tune` and `tune best`: the energy row and an energy objective say estimated, from what', () => {
    const entry = studyWith({ objective: 'energy' }, [{ meanMs: 50, overrides: { joulesPerRequest: 0.3 } }, { meanMs: 40, overrides: { joulesPerRequest: 0.2 } }]);
    const text = formatSummary(summarizeStudy(entry.study, entry.trials));
    assert.match(text, new RegExp(`^energy \\(J/req\\), ${ESTIMATED}\\s+0\\.3\\s+0\\.2$`, 'm'));
    assert.match(text, new RegExp(`best configuration \\(trial 1, 0\\.2 J/req \\(${ESTIMATED}\\)\\)`));
    const rapl = studyWith({}, [{ meanMs: 50, overrides: { energySource: 'rapl' } }]);
    const measured = formatSummary(summarizeStudy(rapl.study, rapl.trials));
    assert.match(measured, /^energy \(J\/req\), measured by RAPL\s+0\.108$/m);
    assert.doesNotMatch(measured, /estimated/);
  });

  test('the Pareto listings: the energy column says its source, the cost column none', () => {
    const entry = studyWith({}, [costedTrial(10, 20, 5, 0.4, 1), costedTrial(20, 30, 3, 0.2, 2)]);
    const lines = paretoTableLines(paretoListings([entry])).join('\n');
    assert.match(lines, new RegExp(`study\\s+trial\\s+mean ms\\s+J/req, ${ESTIMATED}\\s+configuration`));
    assert.match(lines, /study\s+trial\s+mean ms\s+USD\/M req\s+configuration/);
    assert.match(paretoHtml(paretoListings([entry], 'mean', ['energy'])), new RegExp(`<th>J/req, ${ESTIMATED}</th>`));
  });

  test('a latency–energy trade-off study: its front and knee say where the energy came from', () => {
    const entry = studyWith({ objectives: ['mean', 'energy'] }, [costedTrial(10, 20, 5, 0.4, 1), costedTrial(20, 30, 3, 0.2, 2), costedTrial(15, 25, 4, 0.25, 3)]);
    const lines = tradeoffLines(studyTradeoff(entry)!).join('\n');
    assert.match(lines, new RegExp(`Energy \\(J per request\\), ${ESTIMATED}`));
    assert.match(lines, new RegExp(`J/req \\(${ESTIMATED}\\)`), 'the reference point quotes energy with its source');
  });
});
