// Reads the cloud settings the user (or `npm start`) set, in the shape src/cloud expects.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CloudSettings } from '../cloud/settings';
import { UserFacingError } from '../common/errors';

export const CLOUD_SECTION = 'sphereExplorer.cloud';

export interface CloudConfiguration {
  settings: Partial<CloudSettings>;
  /** Extra CA certificates to trust for the authority and the APIs (the local emulator's). */
  extraCaPem: string[];
}

export function readCloudConfiguration(): CloudConfiguration {
  const config = vscode.workspace.getConfiguration(CLOUD_SECTION);
  const value = (key: string): string | undefined => {
    const v = config.get<string>(key)?.trim();
    return v ? v : undefined;
  };
  const settings: { -readonly [K in keyof CloudSettings]?: CloudSettings[K] } = {};
  const authorityHost = value('authorityHost');
  const tenant = value('tenant');
  const clientId = value('clientId');
  const apiEndpoint = value('apiEndpoint');
  const armEndpoint = value('armEndpoint');
  if (authorityHost) settings.authorityHost = authorityHost;
  if (tenant) settings.tenant = tenant;
  if (clientId) settings.clientId = clientId;
  if (apiEndpoint) settings.apiEndpoint = apiEndpoint;
  if (armEndpoint) settings.armEndpoint = armEndpoint;

  const caFile = value('caFile');
  const extraCaPem: string[] = [];
  if (caFile) {
    try {
      extraCaPem.push(readFileSync(caFile, 'utf8'));
    } catch (err) {
      throw new UserFacingError(
        `The CA file in setting ${CLOUD_SECTION}.caFile cannot be read: ${caFile}`,
        err instanceof Error ? err.message : String(err),
      );
    }
  }
  return { settings, extraCaPem };
}
