import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { CommandId } from './ids';

/** Reveals the extension's log, where every failure's detail lands. */
export const showLog: CommandModule<Services> = {
  id: CommandId.showLog,
  run({ log }) {
    log.show(true);
  },
};
