// Saving a tenant CA certificate in the three forms people need: `.cer` (DER, what `azsphere ca-certificate
// download` writes and IoT Hub / DPS accept), `.pem` (text, for tools like openssl) and `.p7b` (the PKCS#7 chain,
// `download-chain`). The format follows the file name the person chose, so the name never lies about the content.
import * as path from 'node:path';
import { writeCertificateFile } from '../../cloud/certificates';
import type { SphereApiClient } from '../../cloud/sphere-api-client';

export type CaFileFormat = 'cer' | 'pem' | 'p7b';

export const CA_FILE_FORMATS: Readonly<Record<CaFileFormat, { readonly label: string; readonly description: string }>> = {
  cer: { label: 'DER (.cer)', description: 'Tenant CA certificate (DER, .cer) — upload this to IoT Hub or DPS' },
  pem: { label: 'PEM (.pem)', description: 'Tenant CA certificate (PEM text, .pem)' },
  p7b: { label: 'PKCS#7 chain (.p7b)', description: 'Tenant CA certificate chain (PKCS#7, .p7b)' },
};

/** The format a file name implies, or undefined when its extension is none of ours. */
export function formatOfPath(filePath: string): CaFileFormat | undefined {
  const ext = path.extname(filePath).toLowerCase().slice(1);
  return ext === 'cer' || ext === 'pem' || ext === 'p7b' ? ext : undefined;
}

/** A file name to suggest, e.g. `Contoso-Tenant-CA-1A2B3C4D.cer`. */
export function suggestedCaFileName(tenantName: string, thumbprint: string, format: CaFileFormat): string {
  const stem = tenantName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'tenant';
  return `${stem}-CA-${thumbprint.slice(0, 8)}.${format}`;
}

export interface CaDownloadRequest {
  readonly tenantId: string;
  readonly thumbprint: string;
  readonly filePath: string;
  readonly signal?: AbortSignal;
}

export interface CaDownloadResult {
  readonly path: string;
  readonly format: CaFileFormat;
  readonly description: string;
  /** Certificates written (1 for .cer / .pem, the whole chain for .p7b). */
  readonly certificates: number;
}

/** Downloads the tenant CA (or its chain) and writes it in the format the file name says. */
export async function downloadCaCertificate(sphere: SphereApiClient, request: CaDownloadRequest): Promise<CaDownloadResult> {
  const format = formatOfPath(request.filePath);
  if (!format) {
    throw new Error(`"${path.basename(request.filePath)}" does not end in .cer, .pem or .p7b, so the wizard cannot tell which format to write.`);
  }
  const selector = { thumbprint: request.thumbprint, signal: request.signal };
  const certs = format === 'p7b' ? await sphere.getCaCertificateChain(request.tenantId, selector) : [await sphere.getCaCertificate(request.tenantId, selector)];
  const written = await writeCertificateFile(request.filePath, format === 'p7b' ? certs : certs[0]!);
  return { path: written, format, description: CA_FILE_FORMATS[format].description, certificates: certs.length };
}
