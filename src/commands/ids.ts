// Every command id in one place. package.json's contributes.commands must list exactly these
// (scripts/check-commands.mjs and the integration tests hold the two together).
export const CommandId = {
  showLog: 'sphereExplorer.showLog',
  openSettings: 'sphereExplorer.openSettings',
  signIn: 'sphereExplorer.signIn',
  signInWithDeviceCode: 'sphereExplorer.signInWithDeviceCode',
  signOut: 'sphereExplorer.signOut',
  selectTenant: 'sphereExplorer.selectTenant',
  refreshAccounts: 'sphereExplorer.refreshAccounts',
  registerUser: 'sphereExplorer.registerUser',
  startLocalServices: 'sphereExplorer.startLocalServices',
  stopLocalServices: 'sphereExplorer.stopLocalServices',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
