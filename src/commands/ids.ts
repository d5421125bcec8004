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
  createTenant: 'sphereExplorer.createTenant',
  startLocalServices: 'sphereExplorer.startLocalServices',
  stopLocalServices: 'sphereExplorer.stopLocalServices',
  // Devices, Wi-Fi and the status-bar indicator
  selectBoard: 'sphereExplorer.selectBoard',
  refreshDevices: 'sphereExplorer.refreshDevices',
  restartDevice: 'sphereExplorer.restartDevice',
  showDeviceDetails: 'sphereExplorer.showDeviceDetails',
  copyDeviceId: 'sphereExplorer.copyDeviceId',
  enableNetworkInterface: 'sphereExplorer.enableNetworkInterface',
  disableNetworkInterface: 'sphereExplorer.disableNetworkInterface',
  addDeviceCertificate: 'sphereExplorer.addDeviceCertificate',
  showDeviceCertificate: 'sphereExplorer.showDeviceCertificate',
  deleteDeviceCertificate: 'sphereExplorer.deleteDeviceCertificate',
  showCertificateStoreSpace: 'sphereExplorer.showCertificateStoreSpace',
  addWifiNetwork: 'sphereExplorer.addWifiNetwork',
  enableWifiNetwork: 'sphereExplorer.enableWifiNetwork',
  disableWifiNetwork: 'sphereExplorer.disableWifiNetwork',
  forgetWifiNetwork: 'sphereExplorer.forgetWifiNetwork',
  scanWifi: 'sphereExplorer.scanWifi',
  showWifiStatus: 'sphereExplorer.showWifiStatus',
  reloadWifiConfig: 'sphereExplorer.reloadWifiConfig',
  showWifiDiagnostics: 'sphereExplorer.showWifiDiagnostics',
  refreshWifi: 'sphereExplorer.refreshWifi',
  wifiQuickActions: 'sphereExplorer.wifiQuickActions',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
