/** `tune image build`: build the model-server image (offline, from the host's node and ONNX Runtime). */
import type { CommandModule } from 'yargs';
import { buildImage } from '../../app/engine.ts';
import type { CliIo } from '../io.ts';

interface ImageArgs {
  verbose: boolean;
}

export function imageCommand(io: CliIo): CommandModule<object, ImageArgs> {
  return {
    command: 'image <action>',
    describe: 'Build the model-server image',
    builder: (yargs) =>
      yargs
        .positional('action', { choices: ['build'] as const, describe: 'build: create tune-server:latest unless current' })
        .options({ verbose: { type: 'boolean', default: false, describe: 'Show the build steps' } })
        .example('$0 image build', 'build the server image (a no-op when it is up to date)') as never,
    handler: async (args) => {
      const image = await buildImage(args.verbose ? io.err : undefined);
      io.out(image.built ? `built ${image.tag}` : `${image.tag} is up to date`);
    },
  };
}
