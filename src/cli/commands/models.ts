/** `tune models build`: build the built-in models (synthetic weights; ocr copies real ones) into the cache ahead of a study. */
import type { CommandModule } from 'yargs';
import { buildModels } from '../../app/engine.ts';
import { BUILTIN_MODELS, type BuiltinModel } from '../../models/index.ts';
import { PRECISIONS, type Precision } from '../../server/protocol.ts';
import type { CliIo } from '../io.ts';
import { listOfChoices } from '../option-parsers.ts';

const MODEL_CHOICES = ['all', ...BUILTIN_MODELS] as const;

interface ModelsArgs {
  model: (typeof MODEL_CHOICES)[number][];
  precision: Precision[];
}

export function modelsCommand(io: CliIo): CommandModule<object, ModelsArgs> {
  return {
    command: 'models <action>',
    describe: 'Build the built-in models into .cache/models (synthetic weights; ocr: real PaddleOCR weights, copied)',
    builder: (yargs) =>
      yargs
        .positional('action', { choices: ['build'] as const, describe: 'build: write the .onnx files and manifest.json unless current' })
        .options({
          model: { type: 'string', default: 'all', requiresArg: true, coerce: listOfChoices('model', MODEL_CHOICES), describe: `Comma-separated: ${MODEL_CHOICES.join(', ')}` },
          precision: { type: 'string', default: 'fp32,int8', requiresArg: true, coerce: listOfChoices('precision', PRECISIONS), describe: 'Comma-separated: fp32, int8' },
        })
        .example('$0 models build', 'every model at fp32 and int8')
        .example('$0 models build --model marian --precision int8', 'one model, one precision') as never,
    handler: (args) =>
      buildModels(args.model.includes('all') ? 'all' : (args.model as BuiltinModel[]), args.precision, ({ model, precision, dir, seconds }) =>
        io.out(`${model} ${precision}: ${dir} (${seconds.toFixed(1)} s)`),
      ),
  };
}
