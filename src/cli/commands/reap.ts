/** `tune reap`: remove services and containers of ours left behind (a killed process, a failed teardown). */
import type { CommandModule } from 'yargs';
import { reapContainers } from '../../app/engine.ts';
import type { CliIo } from '../io.ts';

interface ReapArgs {
  study?: string;
}

export function reapCommand(io: CliIo): CommandModule<object, ReapArgs> {
  return {
    command: 'reap',
    describe: 'Remove leftover tune services (on a swarm manager) and containers (only ones labelled tune.tool=tune)',
    builder: (yargs) =>
      yargs
        .options({ study: { type: 'string', requiresArg: true, describe: "Only this study's services and containers" } })
        .example('$0 reap', 'every container tune left behind')
        .example('$0 reap --study gan-bo-c4-b10-s1', 'only that study'),
    handler: async (args) => {
      const removed = await reapContainers(args.study);
      io.out(`removed ${removed} service(s) and container(s)`);
    },
  };
}
