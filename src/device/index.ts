// The device side's public surface for the VS Code layer and the CLI (plain TypeScript, no editor dependency).
export { DeviceService, type DeviceServiceOptions, type BoardDescriptor } from './device-service';
export { DeviceConnection, type DeviceConnectionOptions } from './device-connection';
export { DeviceError, isDeviceError, type DeviceErrorCode } from './device-error';
export { type Logger, nullLogger } from '../common/logger';
export * as validators from './validators';
export { DeviceRestClient, type RestartOptions } from './rest/device-rest-client';
export { deviceErrorMessage, httpStatusMessage } from './rest/device-error-messages';
export type * from './rest/types';
export { type PinStore, type CertificatePin, JsonFilePinStore, MemoryPinStore } from './trust/pin-store';
export { type TrustPolicy } from './trust/tls-trust';
export { SerialLink, loadSerialPort, DEFAULT_BAUD_RATE, type SerialLinkOptions } from './serial-link';
export { SerialRoute } from './serial-route';
export { OsRouteConnector, discoverOsRouteDevices, VENDOR_SERVICE_URL, type OsRouteDevice } from './os-route';
export { type StreamConnector, DEVICE_HOST_HEADER } from './transport';
export { checkComponentId, type StageImageOptions } from './rest/device-rest-client';
export { ENABLE_DEVELOPMENT_ACTION, DEVELOPMENT_MODE_ERRORS, isDevelopmentModeError } from './rest/device-error-messages';
export * from './apps';
export { deviceAuthReadiness, type DeviceAuthFacts, type DeviceAuthReadiness } from './device-auth-readiness';
