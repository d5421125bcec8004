import type { CommandModule } from '../common/command-registry';
import { changeAppState } from '../boards/app-state-change';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device app start: PATCH /app/status/{componentId} {"trigger":"start"}. */
export const startApp: CommandModule<Services> = {
  id: CommandId.startApp,
  run: ({ devices, log }, arg) =>
    changeAppState(devices.model, log, arg, 'start', { purpose: 'Start which application?', action: 'start', offer: (a) => a.state !== 'running' }),
};
