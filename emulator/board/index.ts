// In-process API of the board simulator: tests across the repo start boards here.
export {
  startSimulatedBoard, DEFAULT_BAUD, DEFAULT_RESTART_DOWN_MS, DEVICE_REST_PORT,
  type SimulatedBoard, type SimulatedBoardOptions, type SimulatedBoardCounters, type FaultChange,
} from './simulated-board';
export { DEFAULT_RADIO_WORLD, type AccessPoint } from './radio';
export { resolveRegistryDir, listAnnouncements, type SimulatedBoardAnnouncement } from './registry';
export { deviceIdFromPublicKey, BOARD_IP_ADDRESS } from './identity';
export { REST_API_VERSION } from './rest/http-kit';
export { DeviceErrorCode } from './device-errors';
export type { PersistedBoardState, WifiNetworkRecord, CertRecord } from './board-state';
export type { WifiTiming } from './wifi-station';
export type { DeviceCertificateRecord } from './device-auth/attestation-request';
export type { AttestationTiming } from './device-auth/daily-attestation';
export type { IotConnectionState, IotConnectionStatus, IotTiming } from './iot/app-iot-connection';
export { DEFAULT_PROVISIONING_HOST } from './iot/iot-connections';
export { DEFAULT_UPDATE_TIMING, type BoardUpdateStatus, type UpdateState, type UpdateTiming } from './updates/cloud-updates';
export type { DeploymentUpdates } from './updates/deployment-plan';
export type { TargetedImage } from './updates/update-check-request';
