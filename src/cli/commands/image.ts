/** `tune image build | push`: build the model-server image (offline), or push it to a cluster's registry. */
import type { CommandModule } from 'yargs';
import { buildImage, pushServerImage } from '../../app/engine.ts';
import type { CliIo } from '../io.ts';

interface ImageArgs {
  action: 'build' | 'push';
  verbose: boolean;
  registry?: string;
}

export function imageCommand(io: CliIo): CommandModule<object, ImageArgs> {
  return {
    command: 'image <action>',
    describe: 'Build the model-server image, or push it to a registry',
    builder: (yargs) =>
      yargs
        .positional('action', { choices: ['build', 'push'] as const, describe: 'build: create tune-server:latest unless current; push: build, then push it to --registry' })
        .options({
          verbose: { type: 'boolean', default: false, describe: 'Show the build steps' },
          registry: { type: 'string', requiresArg: true, describe: 'push: HOST:PORT of the registry the cluster pulls from' },
        })
        .check((args) => {
          if (args.action === 'push' && args.registry === undefined) throw new Error('image push needs --registry HOST:PORT (e.g. 127.0.0.1:5000)');
          return true;
        })
        .example('$0 image build', 'build the server image (a no-op when it is up to date)')
        .example('$0 image push --registry 127.0.0.1:5000', "put it in the registry a swarm's nodes pull from") as never,
    handler: async (args) => {
      if (args.action === 'push') return io.out(`pushed ${await pushServerImage(args.registry as string, args.verbose ? io.err : undefined)}`);
      const image = await buildImage(args.verbose ? io.err : undefined);
      io.out(image.built ? `built ${image.tag}` : `${image.tag} is up to date`);
    },
  };
}
