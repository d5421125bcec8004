// The host ↔ webview message contract of one panel, shared by both sides. Each panel defines its messages once
// (schemas in ./schema) and both ends validate everything they receive against them:
//  - webview → host: `ready` (reserved; sent by the webview each time its document loads, carrying the state it kept
//    with vscode.setState) and the panel's own requests;
//  - host → webview: `persist` (reserved; the state the webview keeps so that hiding, reopening and reloading the
//    window lose nothing) and the panel's own messages.
// The webview is untrusted: a malformed message is rejected and logged, never acted on; state it hands back is
// validated like any other message. Tokens never cross: the schemas have no place for one.
import { messages, type MessageUnion, type Schema, type Shape } from './schema';

export const READY = 'ready';
export const PERSIST = 'persist';

export interface WebviewContract<ToWebview extends { type: string }, ToHost extends { type: string }, State> {
  /** The panel's viewType (also the key of its serializer and of `onWebviewPanel:` activation). */
  readonly viewType: string;
  readonly toWebview: Schema<ToWebview>;
  readonly toHost: Schema<ToHost>;
  /** What the webview keeps across hiding and reloads; given back to the host in `ready`. */
  readonly state: Schema<State>;
}

/** Extracts the message types of a contract: `ToHostOf<typeof claimContract>`. */
export type ToWebviewOf<C> = C extends WebviewContract<infer W, { type: string }, unknown> ? W : never;
export type ToHostOf<C> = C extends WebviewContract<{ type: string }, infer H, unknown> ? H : never;
export type StateOf<C> = C extends WebviewContract<{ type: string }, { type: string }, infer S> ? S : never;

export function defineContract<W extends Record<string, Shape>, H extends Record<string, Shape>, S>(definition: {
  viewType: string;
  toWebview: W;
  toHost: H;
  state: Schema<S>;
}): WebviewContract<MessageUnion<W>, MessageUnion<H>, S> {
  for (const reserved of [READY, PERSIST]) {
    if (Object.hasOwn(definition.toWebview, reserved) || Object.hasOwn(definition.toHost, reserved)) {
      throw new Error(`${definition.viewType}: "${reserved}" is a reserved message type`);
    }
  }
  return { viewType: definition.viewType, toWebview: messages(definition.toWebview), toHost: messages(definition.toHost), state: definition.state };
}

// ---- what the host receives -----------------------------------------------------------------------------------

export type FromWebview<H, S> =
  | { readonly kind: 'ready'; readonly state: S | undefined; /** Why the returned state was dropped, if it was. */ readonly stateError?: string }
  | { readonly kind: 'message'; readonly message: H }
  | { readonly kind: 'invalid'; readonly error: string };

/** Validates one message from the webview. Never throws: a malformed message comes back as `invalid`. */
export function parseFromWebview<W extends { type: string }, H extends { type: string }, S>(contract: WebviewContract<W, H, S>, raw: unknown): FromWebview<H, S> {
  if (isObject(raw) && raw.type === READY) {
    const extra = Object.keys(raw).find((k) => k !== 'type' && k !== 'state');
    if (extra !== undefined) return { kind: 'invalid', error: `ready: unexpected key "${extra.slice(0, 40)}"` };
    if (raw.state === undefined || raw.state === null) return { kind: 'ready', state: undefined };
    try {
      return { kind: 'ready', state: contract.state.parse(raw.state, 'ready.state') };
    } catch (err) {
      // A state from an older version or a tampered one: start afresh rather than refuse the webview.
      return { kind: 'ready', state: undefined, stateError: errorText(err) };
    }
  }
  try {
    return { kind: 'message', message: contract.toHost.parse(raw) };
  } catch (err) {
    return { kind: 'invalid', error: errorText(err) };
  }
}

// ---- what the webview receives --------------------------------------------------------------------------------

export type FromHost<W, S> =
  | { readonly kind: 'persist'; readonly state: S }
  | { readonly kind: 'message'; readonly message: W }
  | { readonly kind: 'invalid'; readonly error: string };

/** Validates one message from the host. Never throws. */
export function parseFromHost<W extends { type: string }, H extends { type: string }, S>(contract: WebviewContract<W, H, S>, raw: unknown): FromHost<W, S> {
  try {
    if (isObject(raw) && raw.type === PERSIST) {
      const extra = Object.keys(raw).find((k) => k !== 'type' && k !== 'state');
      if (extra !== undefined) return { kind: 'invalid', error: `persist: unexpected key "${extra.slice(0, 40)}"` };
      return { kind: 'persist', state: contract.state.parse(raw.state, 'persist.state') };
    }
    return { kind: 'message', message: contract.toWebview.parse(raw) };
  } catch (err) {
    return { kind: 'invalid', error: errorText(err) };
  }
}

/** The reserved messages, as they travel. */
export const readyMessage = <S>(state: S | undefined): { type: typeof READY; state?: S } => (state === undefined ? { type: READY } : { type: READY, state });
export const persistMessage = <S>(state: S): { type: typeof PERSIST; state: S } => ({ type: PERSIST, state });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
