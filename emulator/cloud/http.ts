// Minimal request/response plumbing shared by the emulator's services (identity, security API, ARM).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { MAX_IMAGE_PACKAGE_BYTES } from '../../src/device/image-package/read-image-package';

export interface EmuRequest {
  method: string;
  url: URL;
  /** Path without query, percent-decoding left to the handlers (segments are decoded where they are read). */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A service answers the requests it owns and returns undefined for the rest. */
export type Service = (req: EmuRequest) => Promise<EmuResponse | undefined>;

export const MAX_BODY_BYTES = 1024 * 1024;
/** An image package upload (`POST /v2/tenants/{t}/images`) may be as large as any package the project reads. */
export const MAX_IMAGE_UPLOAD_BYTES = MAX_IMAGE_PACKAGE_BYTES;

export class BodyTooLargeError extends Error {}

/** The largest body a request may carry: 1 MiB, except an image package upload. */
export function bodyLimitFor(method: string | undefined, url: string | undefined): number {
  const path = (url ?? '').split('?')[0]!;
  if (method === 'POST' && /^\/v2\/tenants\/[^/]+\/images\/?$/i.test(path)) return MAX_IMAGE_UPLOAD_BYTES;
  // Microsoft.AzureSphere image uploads carry the package base64-encoded in JSON (PUT …/images/{id}, POST …/uploadImage).
  if ((method === 'PUT' || method === 'POST') && /\/providers\/Microsoft\.AzureSphere\/catalogs\/[^/]+\/(images\/[^/]+|uploadImage)\/?$/i.test(path)) return Math.ceil(MAX_IMAGE_UPLOAD_BYTES / 3) * 4 + 64 * 1024;
  return MAX_BODY_BYTES;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  const limit = bodyLimitFor(req.method, req.url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`request body exceeds ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function htmlResponse(status: number, html: string): EmuResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Parses an application/x-www-form-urlencoded body. */
export function formBody(req: EmuRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

export class JsonBodyError extends Error {}

/** Parses a JSON object body; throws JsonBodyError with a specific message otherwise. */
export function jsonObjectBody(req: EmuRequest): Record<string, unknown> {
  const text = req.body.toString('utf8').trim();
  if (text.length === 0) throw new JsonBodyError('the request body is empty; a JSON object is expected');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonBodyError('the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JsonBodyError('the request body must be a JSON object');
  return value as Record<string, unknown>;
}

export function bearerToken(req: EmuRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Splits a path into decoded segments; undefined if a segment is not valid percent-encoding. */
export function pathSegments(path: string): string[] | undefined {
  try {
    return path.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
