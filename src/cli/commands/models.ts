/** `tune models build`: build the built-in models (synthetic weights) into the cache ahead of a study. */
import type { CommandModule } from 'yargs';
import { BUILTIN_MODELS, ensureModel, type BuiltinModel, type Precision } from '../../models/index.ts';
import type { CliIo } from '../io.ts';
import { listOfChoices } from '../option-parsers.ts';
import { PRECISIONS } from '../study-setup.ts';

const MODEL_CHOICES = ['all', ...BUILTIN_MODELS] as const;

interface ModelsArgs {
  model: (typeof MODEL_CHOICES)[number][];
  precision: Precision[];
}

export function modelsCommand(io: CliIo): CommandModule<object, ModelsArgs> {
  return {
    command: 'models <action>',
    describe: 'Build the built-in models (synthetic weights) into .cache/models',
    builder: (yargs) =>
      yargs
        .positional('action', { choices: ['build'] as const, describe: 'build: write the .onnx files and manifest.json unless current' })
        .options({
          model: { type: 'string', default: 'all', requiresArg: true, coerce: listOfChoices('model', MODEL_CHOICES), describe: `Comma-separated: ${MODEL_CHOICES.join(', ')}` },
          precision: { type: 'string', default: 'fp32,int8', requiresArg: true, coerce: listOfChoices('precision', PRECISIONS), describe: 'Comma-separated: fp32, int8' },
        })
        .example('$0 models build', 'every model at fp32 and int8')
        .example('$0 models build --model marian --precision int8', 'one model, one precision') as never,
    handler: async (args) => {
      const models: BuiltinModel[] = args.model.includes('all') ? [...BUILTIN_MODELS] : (args.model as BuiltinModel[]);
      for (const model of models) {
        for (const precision of args.precision) {
          const started = Date.now();
          const dir = await ensureModel({ model, precision });
          io.out(`${model} ${precision}: ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        }
      }
    },
  };
}
