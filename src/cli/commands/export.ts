/** `tune export --study S --format compose|swarm|kubernetes`: the confirmed winner, else the best (or a chosen) trial, as a deployment file. */
import type { CommandModule } from 'yargs';
import { exportStudy } from '../../app/export.ts';
import { REPLICA_HOST } from '../../deploy/docker/container-config.ts';
import { DEFAULT_EXPORT_PORT, EXPORT_FORMATS, type ExportFormat } from '../../export/index.ts';
import type { CliIo } from '../io.ts';
import { oneOf, wholeNumber } from '../option-parsers.ts';
import { dbOption, studyOption } from './shared-options.ts';

interface ExportArgs {
  study: string;
  trial?: number;
  format: ExportFormat;
  out?: string;
  db: string;
  image?: string;
  port: number;
  bind: string;
}

export function exportCommand(io: CliIo): CommandModule<object, ExportArgs> {
  return {
    command: 'export',
    describe: "Write a study's confirmed winner (else its best) as a Compose file, a Swarm stack or Kubernetes objects",
    builder: (yargs) =>
      yargs
        .options({
          study: studyOption,
          trial: { type: 'string', requiresArg: true, coerce: wholeNumber('trial', 0), describe: 'Trial number to export (a complete one); default: the best' },
          format: { type: 'string', demandOption: true, requiresArg: true, coerce: oneOf('format', EXPORT_FORMATS), describe: EXPORT_FORMATS.join(' | ') },
          out: { type: 'string', requiresArg: true, describe: 'File to write (default: stdout)' },
          db: dbOption,
          image: { type: 'string', requiresArg: true, describe: "Image to run instead of this checkout's tune-server:<tag>, e.g. its name in your registry" },
          port: { type: 'string', default: String(DEFAULT_EXPORT_PORT), requiresArg: true, coerce: wholeNumber('port', 1, 65535), describe: 'Base port: replica i listens on port + i - 1 (kubernetes: the container port)' },
          bind: { type: 'string', default: REPLICA_HOST, requiresArg: true, describe: "compose, swarm: the address replicas listen on, or an IPv4 subnet (10.77.0.0/24) for each node's address in it" },
        })
        .example('$0 export --study gan-bo-c4-b20-s1 --format compose --out docker-compose.yml', 'the best trial for one Docker host')
        .example('$0 export --study gan-bo-c4-b20-s1 --format swarm --bind 10.77.0.0/24 --out stack.yml', 'a Swarm stack serving on each node address in 10.77.0.0/24')
        .example('$0 export --study gan-bo-c4-b20-s1 --trial 7 --format kubernetes --image registry.example.com/tune-server:1a2b3c', 'trial 7 as a Deployment and Service, on stdout'),
    handler: async (args) => {
      const result = await exportStudy(
        { db: args.db, study: args.study, trial: args.trial, format: args.format, out: args.out, image: args.image, port: args.port, bind: args.bind },
        { note: io.err },
      );
      if (result.out === undefined) io.out(result.text.replace(/\n$/, ''));
      else io.out(`wrote ${result.out}: ${result.format} for trial ${result.trial} of ${result.study} (${{ confirmed: 'its confirmed winner', best: 'its best', named: 'as asked' }[result.chosen]}), image ${result.image}`);
    },
  };
}
