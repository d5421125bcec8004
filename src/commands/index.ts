// The list of command modules the extension registers. Adding a command: a module here, its id in ids.ts,
// its entry in package.json (scripts/check-commands.mjs fails the build otherwise).
import type { CommandModule } from '../common/command-registry';
import type { Services } from '../services';
import { openSettings } from './open-settings';
import { showLog } from './show-log';
import { signIn } from './sign-in';
import { signInWithDeviceCode } from './sign-in-with-device-code';
import { signOut } from './sign-out';
import { refreshAccounts } from './refresh-accounts';
import { registerUser } from './register-user';
import { createTenant } from './create-tenant';
import { claimDevice } from './claim-device';
import { validateCaCertificate } from './validate-ca-certificate';
import { downloadCaCertificate } from './download-ca-certificate';
import { selectTenant } from './select-tenant';
import { startLocalServices } from './start-local-services';
import { stopLocalServices } from './stop-local-services';
import { selectBoard } from './select-board';
import { refreshDevices } from './refresh-devices';
import { restartDevice } from './restart-device';
import { recoverDevice } from './recover-device';
import { showDeviceDetails } from './show-device-details';
import { copyDeviceId } from './copy-device-id';
import { enableNetworkInterface } from './enable-network-interface';
import { disableNetworkInterface } from './disable-network-interface';
import { addDeviceCertificate } from './add-device-certificate';
import { showDeviceCertificate } from './show-device-certificate';
import { deleteDeviceCertificate } from './delete-device-certificate';
import { showCertificateStoreSpace } from './show-certificate-store-space';
import { addWifiNetwork } from './add-wifi-network';
import { enableWifiNetwork } from './enable-wifi-network';
import { disableWifiNetwork } from './disable-wifi-network';
import { forgetWifiNetwork } from './forget-wifi-network';
import { scanWifi } from './scan-wifi';
import { showWifiStatus } from './show-wifi-status';
import { reloadWifiConfig } from './reload-wifi-config';
import { showWifiDiagnostics } from './show-wifi-diagnostics';
import { refreshWifi } from './refresh-wifi';
import { wifiQuickActions } from './wifi-quick-actions';
import { troubleshootConnection } from './troubleshoot-connection';
import { enableDevelopment } from './enable-development';
import { enableCloudTest } from './enable-cloud-test';
import { deployImagePackage } from './deploy-image-package';
import { deployImagePackageManualStart } from './deploy-image-package-manual-start';
import { startApp } from './start-app';
import { stopApp } from './stop-app';
import { startAppForDebugging } from './start-app-for-debugging';
import { deleteApp } from './delete-app';
import { showAppMemoryStats } from './show-app-memory-stats';
import { listInstalledImages } from './list-installed-images';
import { connectBoardToIotHub } from './connect-board-to-iot-hub';
import { createDpsEnrollmentGroup } from './create-dps-enrollment-group';
import { monitorTelemetry } from './monitor-telemetry';
import { stopTelemetryMonitor } from './stop-telemetry-monitor';
import { resumeTelemetryMonitor } from './resume-telemetry-monitor';
import { copyIotAppManifestSettings } from './copy-iot-app-manifest-settings';
import { forgetIotHubLink } from './forget-iot-hub-link';

const appCommands = [enableDevelopment, enableCloudTest, deployImagePackage, deployImagePackageManualStart, startApp, stopApp, startAppForDebugging, deleteApp, showAppMemoryStats, listInstalledImages];

const deviceCommands = [selectBoard, refreshDevices, restartDevice, recoverDevice, showDeviceDetails, copyDeviceId, enableNetworkInterface, disableNetworkInterface, addDeviceCertificate, showDeviceCertificate, deleteDeviceCertificate, showCertificateStoreSpace, addWifiNetwork, enableWifiNetwork, disableWifiNetwork, forgetWifiNetwork, scanWifi, showWifiStatus, reloadWifiConfig, showWifiDiagnostics, refreshWifi, wifiQuickActions, troubleshootConnection];

const iotCommands = [connectBoardToIotHub, createDpsEnrollmentGroup, monitorTelemetry, stopTelemetryMonitor, resumeTelemetryMonitor, copyIotAppManifestSettings, forgetIotHubLink];

export const allCommands: readonly CommandModule<Services>[] = [showLog, openSettings, signIn, signInWithDeviceCode, signOut, selectTenant, refreshAccounts, registerUser, createTenant, claimDevice, validateCaCertificate, downloadCaCertificate, startLocalServices, stopLocalServices, ...deviceCommands, ...appCommands, ...iotCommands];
