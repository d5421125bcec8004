// Every command id in one place: nothing else in src/ spells one out (scripts/check-commands.mjs fails on that).
// package.json's contributes.commands must list exactly CommandId (check-commands and the integration tests hold
// the two together); InternalCommandId is for our own tree items only.
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
  claimDevice: 'sphereExplorer.claimDevice',
  validateCaCertificate: 'sphereExplorer.validateCaCertificate',
  downloadCaCertificate: 'sphereExplorer.downloadCaCertificate',
  startLocalServices: 'sphereExplorer.startLocalServices',
  stopLocalServices: 'sphereExplorer.stopLocalServices',
  // Devices, Wi-Fi and the status-bar indicator
  selectBoard: 'sphereExplorer.selectBoard',
  refreshDevices: 'sphereExplorer.refreshDevices',
  restartDevice: 'sphereExplorer.restartDevice',
  recoverDevice: 'sphereExplorer.recoverDevice',
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
  // Applications on the board
  enableDevelopment: 'sphereExplorer.enableDevelopment',
  enableCloudTest: 'sphereExplorer.enableCloudTest',
  deployImagePackage: 'sphereExplorer.deployImagePackage',
  deployImagePackageManualStart: 'sphereExplorer.deployImagePackageManualStart',
  startApp: 'sphereExplorer.startApp',
  stopApp: 'sphereExplorer.stopApp',
  startAppForDebugging: 'sphereExplorer.startAppForDebugging',
  deleteApp: 'sphereExplorer.deleteApp',
  showAppMemoryStats: 'sphereExplorer.showAppMemoryStats',
  listInstalledImages: 'sphereExplorer.listInstalledImages',
  wifiQuickActions: 'sphereExplorer.wifiQuickActions',
  troubleshootConnection: 'sphereExplorer.troubleshootConnection',
  // The board on IoT Hub / DPS
  connectBoardToIotHub: 'sphereExplorer.connectBoardToIotHub',
  createDpsEnrollmentGroup: 'sphereExplorer.createDpsEnrollmentGroup',
  monitorTelemetry: 'sphereExplorer.monitorTelemetry',
  stopTelemetryMonitor: 'sphereExplorer.stopTelemetryMonitor',
  resumeTelemetryMonitor: 'sphereExplorer.resumeTelemetryMonitor',
  copyIotAppManifestSettings: 'sphereExplorer.copyIotAppManifestSettings',
  forgetIotHubLink: 'sphereExplorer.forgetIotHubLink',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];

/** Commands our own tree items run (retry, load more): registered, never contributed, so not in the palette. */
export const InternalCommandId = {
  retryTreeNode: 'sphereExplorer.internal.retryTreeNode',
  loadMoreClaimedDevices: 'sphereExplorer.internal.loadMoreClaimedDevices',
} as const;
