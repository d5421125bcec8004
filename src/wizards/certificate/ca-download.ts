// Saving a tenant's or catalog's CA certificate in the three forms people need: `.cer` (DER, what `azsphere ca-certificate
// download` writes and IoT Hub / DPS accept), `.pem` (text, for tools like openssl) and `.p7b` (the PKCS#7 chain,
// `download-chain`). The format follows the file name the person chose, so the name never lies about the content.
import * as path from 'node:path';
import { writeCertificateFile } from '../../cloud/certificates';
import type { FleetBackend, FleetScope } from '../../cloud/backend/fleet-backend';

export type CaFileFormat = 'cer' | 'pem' | 'p7b';

export const CA_FILE_FORMATS: Readonly<Record<CaFileFormat, { readonly label: string; readonly what: string }>> = {
  cer: { label: 'DER (.cer)', what: 'CA certificate (DER, .cer) — upload this to IoT Hub or DPS' },
  pem: { label: 'PEM (.pem)', what: 'CA certificate (PEM text, .pem)' },
  p7b: { label: 'PKCS#7 chain (.p7b)', what: 'CA certificate chain (PKCS#7, .p7b)' },
};

/** "Tenant" or "Catalog": how the scope's CA is called in file descriptions and titles. */
export function scopeNoun(scope: Pick<FleetScope, 'kind'>): string {
  return scope.kind === 'catalog' ? 'catalog' : 'tenant';
}

/** What a saved file holds, e.g. "Catalog CA certificate (DER, .cer) — upload this to IoT Hub or DPS". */
export function caFileDescription(scope: Pick<FleetScope, 'kind'>, format: CaFileFormat): string {
  const noun = scopeNoun(scope);
  return `${noun[0]!.toUpperCase()}${noun.slice(1)} ${CA_FILE_FORMATS[format].what}`;
}

/** The format a file name implies, or undefined when its extension is none of ours. */
export function formatOfPath(filePath: string): CaFileFormat | undefined {
  const ext = path.extname(filePath).toLowerCase().slice(1);
  return ext === 'cer' || ext === 'pem' || ext === 'p7b' ? ext : undefined;
}

/** A file name to suggest, e.g. `Contoso-Tenant-CA-1A2B3C4D.cer` (the thumbprint's start, else the serial number's). */
export function suggestedCaFileName(scopeName: string, thumbprintOrSerial: string, format: CaFileFormat): string {
  const stem = scopeName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'sphere';
  return `${stem}-CA-${thumbprintOrSerial.slice(0, 8)}.${format}`;
}

export interface CaDownloadRequest {
  /** The certificate's ID in its backend: the thumbprint (tenant) or the serial number (catalog). */
  readonly certificateId: string;
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

/** Downloads the CA (or its chain) of a tenant or catalog and writes it in the format the file name says. */
export async function downloadCaCertificate(backend: FleetBackend, scope: FleetScope, request: CaDownloadRequest): Promise<CaDownloadResult> {
  const format = formatOfPath(request.filePath);
  if (!format) {
    throw new Error(`"${path.basename(request.filePath)}" does not end in .cer, .pem or .p7b, so the wizard cannot tell which format to write.`);
  }
  const selector = { certificateId: request.certificateId, signal: request.signal };
  const certs = format === 'p7b' ? await backend.getCaCertificateChain(scope, selector) : [await backend.getCaCertificate(scope, selector)];
  const written = await writeCertificateFile(request.filePath, format === 'p7b' ? certs : certs[0]!);
  return { path: written, format, description: caFileDescription(scope, format), certificates: certs.length };
}
