// The verification code a person pastes from IoT Hub or DPS, checked before anything is sent. Hubs hand out
// hexadecimal nonces — IoT Hub's documented example is 40 upper-case hex characters,
// 47292AB6260DB02CCD2D07C601B7303DD49858B6 — and the proof certificate's CN must equal the code exactly, so the
// check names the precise problem (a stray character and where it is, a cut-off copy) instead of "invalid". The
// length accepted is 32–64 characters and even (a code is hex-encoded bytes), so a paste that lost one character is
// caught here rather than by the hub.

export const EXAMPLE_VERIFICATION_CODE = '47292AB6260DB02CCD2D07C601B7303DD49858B6';
const MIN_LENGTH = 32;
const MAX_LENGTH = 64;

export type VerificationCodeCheck = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly problem: string };

/** Checks a pasted verification code; surrounding whitespace is ignored, the code itself is kept exactly as pasted. */
export function checkVerificationCode(input: string): VerificationCodeCheck {
  const code = (input ?? '').trim();
  if (!code) {
    return { ok: false, problem: 'Paste the verification code IoT Hub or DPS shows for the CA certificate (after "Generate Verification Code").' };
  }
  const bad = /[^0-9A-Fa-f]/.exec(code);
  if (bad) {
    return {
      ok: false,
      problem: `A verification code holds only hexadecimal digits (0–9, A–F); this one has ${describeCharacter(bad[0])} at position ${bad.index + 1}. Copy the code again, e.g. ${EXAMPLE_VERIFICATION_CODE}.`,
    };
  }
  if (code.length < MIN_LENGTH || code.length > MAX_LENGTH) {
    const hint = code.length < MIN_LENGTH ? ' Was part of it cut off when copying?' : ' Was something pasted twice?';
    return {
      ok: false,
      problem: `This code is ${code.length} hexadecimal characters long; IoT Hub and DPS codes are ${MIN_LENGTH}–${MAX_LENGTH} (typically 40, e.g. ${EXAMPLE_VERIFICATION_CODE}).${hint}`,
    };
  }
  if (code.length % 2 !== 0) {
    return {
      ok: false,
      problem: `This code has ${code.length} hexadecimal characters, an odd number; hub codes are whole bytes (typically 40 characters, e.g. ${EXAMPLE_VERIFICATION_CODE}), so one character is missing or extra.`,
    };
  }
  return { ok: true, code };
}

/** The same check as an exception, for callers that run the whole step. */
export class VerificationCodeError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'VerificationCodeError';
  }
}

export function requireWellFormedVerificationCode(input: string): string {
  const result = checkVerificationCode(input);
  if (!result.ok) throw new VerificationCodeError(result.problem);
  return result.code;
}

function describeCharacter(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (ch === '-') return 'a hyphen';
  if (/[Oo]/.test(ch)) return `the letter "${ch}" (the digit 0 is meant?)`;
  if (/[Il]/.test(ch)) return `the letter "${ch}" (the digit 1 is meant?)`;
  return `"${ch}"`;
}
