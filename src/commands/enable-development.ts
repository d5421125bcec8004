import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { changeDevelopmentMode } from '../boards/development-mode-flow';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device enable-development: the AppDevelopment capability, and the product's Development group. */
export const enableDevelopment: CommandModule<Services> = {
  id: CommandId.enableDevelopment,
  async run({ devices, tenants, claims, log }, arg) {
    const change = await changeDevelopmentMode({ devices: devices.model, tenants, claims, log }, arg, 'development');
    void vscode.window.showInformationMessage(`${change.board.label} is in development mode: you can deploy, start and debug applications on it. ${change.group.message}`);
    return change;
  },
};
