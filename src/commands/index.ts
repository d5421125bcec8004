// The list of command modules the extension registers. Adding a command: a module here, its id in ids.ts,
// its entry in package.json (scripts/check-commands.mjs fails the build otherwise).
import type { CommandModule } from '../common/commandRegistry';
import type { Services } from '../services';
import { openSettings } from './openSettings';
import { showLog } from './showLog';
import { signIn } from './signIn';
import { signInWithDeviceCode } from './signInWithDeviceCode';
import { signOut } from './signOut';
import { refreshAccounts } from './refreshAccounts';
import { registerUser } from './registerUser';
import { createTenant } from './createTenant';
import { claimDevice } from './claimDevice';
import { validateCaCertificate } from './validateCaCertificate';
import { downloadCaCertificate } from './downloadCaCertificate';
import { selectTenant } from './selectTenant';
import { startLocalServices } from './startLocalServices';
import { stopLocalServices } from './stopLocalServices';
import { selectBoard } from './selectBoard';
import { refreshDevices } from './refreshDevices';
import { restartDevice } from './restartDevice';
import { recoverDevice } from './recoverDevice';
import { showDeviceDetails } from './showDeviceDetails';
import { copyDeviceId } from './copyDeviceId';
import { enableNetworkInterface } from './enableNetworkInterface';
import { disableNetworkInterface } from './disableNetworkInterface';
import { addDeviceCertificate } from './addDeviceCertificate';
import { showDeviceCertificate } from './showDeviceCertificate';
import { deleteDeviceCertificate } from './deleteDeviceCertificate';
import { showCertificateStoreSpace } from './showCertificateStoreSpace';
import { addWifiNetwork } from './addWifiNetwork';
import { enableWifiNetwork } from './enableWifiNetwork';
import { disableWifiNetwork } from './disableWifiNetwork';
import { forgetWifiNetwork } from './forgetWifiNetwork';
import { scanWifi } from './scanWifi';
import { showWifiStatus } from './showWifiStatus';
import { reloadWifiConfig } from './reloadWifiConfig';
import { showWifiDiagnostics } from './showWifiDiagnostics';
import { refreshWifi } from './refreshWifi';
import { wifiQuickActions } from './wifiQuickActions';
import { troubleshootConnection } from './troubleshootConnection';

const deviceCommands = [selectBoard, refreshDevices, restartDevice, recoverDevice, showDeviceDetails, copyDeviceId, enableNetworkInterface, disableNetworkInterface, addDeviceCertificate, showDeviceCertificate, deleteDeviceCertificate, showCertificateStoreSpace, addWifiNetwork, enableWifiNetwork, disableWifiNetwork, forgetWifiNetwork, scanWifi, showWifiStatus, reloadWifiConfig, showWifiDiagnostics, refreshWifi, wifiQuickActions, troubleshootConnection];

export const allCommands: readonly CommandModule<Services>[] = [showLog, openSettings, signIn, signInWithDeviceCode, signOut, selectTenant, refreshAccounts, registerUser, createTenant, claimDevice, validateCaCertificate, downloadCaCertificate, startLocalServices, stopLocalServices, ...deviceCommands];
