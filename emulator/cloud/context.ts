// What the emulator's services share: the store, the token signer, the public URL, and the knobs tests turn.
import type { Clock } from '../common/clock';
import type { JwtSigner } from './jwt';
import type { Store } from './store';

export interface Throttle {
  remaining: number;
  retryAfterSec: number;
  pathPrefix: string;
}

export interface EmulatorContext {
  store: Store;
  signer: JwtSigner;
  /** https://127.0.0.1:PORT, the issuer host of every token. */
  baseUrl: string;
  /** The time certificates are issued and checked by (device certificates, attestation timestamps). */
  clock: Clock;
  /** How far a token's nbf/exp may be off the emulator's clock when an API verifies it. */
  clockToleranceSec: number;
  knobs: {
    /** Who "is at the browser" for interactive sign-in (wins over login_hint, as a person's choice does). */
    interactiveUser: string | null;
    accessTokenLifetimeSec: number;
    /** Shifts iat/nbf/exp of newly issued tokens, to test clock skew handling. */
    issuedTokenClockOffsetSec: number;
    /** How long a rotated refresh token may still be redeemed (concurrent silent calls share one RT). */
    refreshTokenReuseGraceSec: number;
    throttles: Throttle[];
  };
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
