/**
 * The translator and text classifier runner tests of test/unit/server, over the full-size built-in
 * marian and bert (built once into the shared cache: about 1 GB and half a minute on the first run).
 */
import { ensureModel } from '../../src/models/index.ts';
import { textClassifierRunnerSuite } from '../../support/text-classifier-suite.ts';
import { translatorRunnerSuite } from '../../support/translator-suite.ts';

translatorRunnerSuite('translator runner over the real (synthetic) marian model', () => ensureModel({ model: 'marian', precision: 'fp32' }));
textClassifierRunnerSuite('text classifier runner over the real (synthetic) bert model', () => ensureModel({ model: 'bert', precision: 'fp32' }));
