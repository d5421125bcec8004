import type { CommandModule } from '../common/command-registry';
import { isBoardTarget, resolveBoard } from '../boards';
import { doctorPanelKind, type DoctorPanel } from '../doctor/doctor-panel';
import type { Services } from '../services';
import { CommandId } from './ids';

/**
 * Azure Sphere: Troubleshoot Connection — checks the link to a board layer by layer in the Connection Doctor panel.
 * With no board attached it still runs: then the first check says why none is found. Returns the panel (tests).
 */
export const troubleshootConnection: CommandModule<Services> = {
  id: CommandId.troubleshootConnection,
  async run(services, arg): Promise<DoctorPanel> {
    const model = services.devices.model;
    await model.start();
    const board = isBoardTarget(arg) || model.boards.length > 0
      ? await resolveBoard(model, arg, { preferSelected: true, purpose: 'Troubleshoot the connection to which board?' })
      : undefined;
    const panel = services.panels.show(doctorPanelKind, services);
    void panel.diagnose(board);
    return panel;
  },
};
