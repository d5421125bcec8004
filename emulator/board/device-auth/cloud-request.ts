// The board's HTTPS calls to the cloud emulator's device routes (daily certificate, update check, image download):
// trusting only the CA it was given, bounded in time and size, and reading the service's `{Code, Message}` errors
// into one line that never echoes a whole answer into the board's log.
import type * as http from 'node:http';
import * as https from 'node:https';

/** A JSON answer larger than this is cut off: the device routes answer a few kilobytes. */
export const MAX_ANSWER_BYTES = 64 * 1024;
export const DEFAULT_CLOUD_TIMEOUT_MS = 15_000;

export interface CloudAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** `{cloud}/{path}` whatever the cloud URL ends with. */
export function cloudEndpoint(cloudUrl: string, path: string): URL {
  return new URL(path, cloudUrl.endsWith('/') ? cloudUrl : `${cloudUrl}/`);
}

function tlsOptions(caPem: string | undefined, timeoutMs: number, signal: AbortSignal | undefined): https.RequestOptions {
  return { ...(caPem !== undefined && { ca: caPem }), timeout: timeoutMs, ...(signal && { signal }) };
}

/** POSTs a JSON body; rejects when there is no answer (network, TLS, timeout, aborted). */
export function postJson(url: URL, caPem: string | undefined, body: string, timeoutMs = DEFAULT_CLOUD_TIMEOUT_MS, signal?: AbortSignal): Promise<CloudAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: 'POST', ...tlsOptions(caPem, timeoutMs, signal), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * GETs `url` and hands over the answer unread, so a download can be streamed to disk; rejects when there is no
 * answer. The caller reads (or drains) the body; a stall of `timeoutMs` while it does ends the request.
 */
export function getStream(url: URL, caPem: string | undefined, timeoutMs = DEFAULT_CLOUD_TIMEOUT_MS, signal?: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'GET', ...tlsOptions(caPem, timeoutMs, signal) }, resolve);
    req.on('timeout', () => req.destroy(new Error(`no data within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Reads a (small) answer body whole, up to MAX_ANSWER_BYTES: for error answers of the streamed routes. */
export async function readSmallBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The service's `{Code, Message}` text, else the status alone (answers are not echoed whole into logs). */
export function serviceMessage(status: number, text: string): string {
  try {
    const message = (JSON.parse(text) as { Message?: unknown }).Message;
    if (typeof message === 'string') return `${status}: ${message.slice(0, 300)}`;
  } catch {
    /* not the service's error shape */
  }
  return `HTTP ${status}`;
}
