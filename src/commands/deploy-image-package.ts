import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { deployImagePackage as deploy } from '../boards/deploy-flow';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device sideload deploy: stage and install the package; the application starts. */
export const deployImagePackage: CommandModule<Services> = {
  id: CommandId.deployImagePackage,
  async run({ devices, log }, arg) {
    const done = await deploy(devices.model, arg, { manualStart: false, log });
    void vscode.window.showInformationMessage(`${done.name} was deployed to ${done.board.label}${done.state ? ` and is ${done.state}` : ''}.`);
    return done;
  },
};
