import type { CommandModule } from '../common/command-registry';
import { changeAppState } from '../boards/app-state-change';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device app stop: PATCH /app/status/{componentId} {"trigger":"stop"}. */
export const stopApp: CommandModule<Services> = {
  id: CommandId.stopApp,
  run: ({ devices, log }, arg) =>
    changeAppState(devices.model, log, arg, 'stop', { purpose: 'Stop which application?', action: 'stop', offer: (a) => a.state === 'running' || a.state === 'debugging' }),
};
