// The verification-code check runs before anything is sent: each malformed paste gets its own specific message.
import { strict as assert } from 'node:assert';
import { checkVerificationCode, EXAMPLE_VERIFICATION_CODE, requireWellFormedVerificationCode, VerificationCodeError } from '../../../src/wizards/certificate/verification-code';

function problem(input: string): string {
  const r = checkVerificationCode(input);
  assert.equal(r.ok, false, `"${input}" was accepted`);
  return (r as { problem: string }).problem;
}

describe('wizards/certificate: verification code check', () => {
  it('accepts the codes hubs hand out (40 upper-case hex), ignoring whitespace around a paste, and keeps the case', () => {
    assert.deepEqual(checkVerificationCode(EXAMPLE_VERIFICATION_CODE), { ok: true, code: EXAMPLE_VERIFICATION_CODE });
    assert.deepEqual(checkVerificationCode(`  ${EXAMPLE_VERIFICATION_CODE}\n`), { ok: true, code: EXAMPLE_VERIFICATION_CODE });
    assert.deepEqual(checkVerificationCode('ab'.repeat(24)), { ok: true, code: 'ab'.repeat(24) }); // 48, any case: the CN must match as pasted
    assert.equal(requireWellFormedVerificationCode('F'.repeat(64)), 'F'.repeat(64));
  });

  it('says what is missing when nothing was pasted', () => {
    assert.match(problem('   '), /Paste the verification code IoT Hub or DPS shows/);
  });

  it('names the stray character and its position', () => {
    assert.match(problem('47292AB6 260DB02CCD2D07C601B7303DD49858B6'), /has a space at position 9/);
    assert.match(problem('47292AB6260DB02CCD2D07C6O1B7303DD49858B6'), /the letter "O" \(the digit 0 is meant\?\) at position 25/);
    assert.match(problem('47292AB6-260DB02CCD2D07C601B7303DD49858B6'), /a hyphen at position 9/);
    assert.match(problem('47292AB6260DB02CCD2D07C601B7303DD49858BZ'), /"Z" at position 40/);
  });

  it('says how long the code is and how long hub codes are, hinting at a cut-off or doubled paste', () => {
    assert.match(problem(EXAMPLE_VERIFICATION_CODE.slice(0, 20)), /is 20 hexadecimal characters long; IoT Hub and DPS codes are 32–64 \(typically 40, e\.g\. 47292AB6.*cut off/);
    assert.match(problem(EXAMPLE_VERIFICATION_CODE + EXAMPLE_VERIFICATION_CODE), /is 80 hexadecimal characters long.*pasted twice/);
    assert.match(problem(EXAMPLE_VERIFICATION_CODE.slice(1)), /has 39 hexadecimal characters, an odd number; .* one character is missing or extra/);
  });

  it('throws the same message as an error', () => {
    assert.throws(() => requireWellFormedVerificationCode('xyz'), (e: unknown) => e instanceof VerificationCodeError && /"x" at position 1/.test(e.message));
  });
});
