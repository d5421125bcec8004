import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { deployImagePackage as deploy } from '../boards/deploy-flow';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device sideload deploy --manual-start: stage and install the package; the application stays stopped. */
export const deployImagePackageManualStart: CommandModule<Services> = {
  id: CommandId.deployImagePackageManualStart,
  async run({ devices, log }, arg) {
    const done = await deploy(devices.model, arg, { manualStart: true, log });
    void vscode.window.showInformationMessage(`${done.name} was deployed to ${done.board.label}; it is ${done.state ?? 'installed'} until you start it.`);
    return done;
  },
};
