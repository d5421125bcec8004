import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { changeDevelopmentMode } from '../boards/development-mode-flow';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device enable-cloud-test: no AppDevelopment capability, and the product's Field Test group. */
export const enableCloudTest: CommandModule<Services> = {
  id: CommandId.enableCloudTest,
  async run({ devices, tenants, claims, log }, arg) {
    const change = await changeDevelopmentMode({ devices: devices.model, tenants, claims, log }, arg, 'cloudTest');
    void vscode.window.showInformationMessage(`${change.board.label} takes its applications from the cloud now: sideloading and debugging are off. ${change.group.message}`);
    return change;
  },
};
