// The simulated board's certificate names: its EC P-256 CA is shaped like the real "Azure Sphere Device" CA and its
// TLS leaf serves the device REST API. The builder itself is shared with the cloud emulator (emulator/common/x509.ts).
import type { DistinguishedName } from '../common/x509';

export { generateP256KeyPair, issueCertificate, type CertificateRequest, type DistinguishedName } from '../common/x509';

/**
 * Subject and issuer of the real device REST API CA, an EC P-256 self-signed certificate (2018-05-22 to 2038-05-17)
 * that Microsoft ships with its device REST API packages, e.g.
 * https://github.com/Azure/azure-sphere-tools/blob/main/Manufacturing/src/Python/package/azuresphere_device_api/certs/device_rest_api_certificate.pem
 * The simulator's CA copies the name only (country as PrintableString, the rest as UTF8String, as there).
 */
export const AZURE_SPHERE_DEVICE_CA_NAME: DistinguishedName = {
  C: 'US',
  ST: 'Washington',
  L: 'Redmond',
  O: 'Microsoft Corporation',
  CN: 'Azure Sphere Device',
};

/** The host name clients send (`Host: *.devices.sphere.azure.local`) and check the leaf against. */
export const DEVICE_REST_HOST_NAME = '*.devices.sphere.azure.local';
