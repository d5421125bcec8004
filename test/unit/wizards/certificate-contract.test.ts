// The certificate wizard's contract: every request the page sends is accepted in its proper shape, malformed or
// smuggled ones are refused, and the view the host posts cannot carry anything the contract does not name.
import { strict as assert } from 'node:assert';
import { parseFromWebview } from '../../../src/views/shared/contract';
import { certificateContract, certificateView, type CertificateToHost } from '../../../src/wizards/certificate/certificate-contract';

const T = 'A'.repeat(40);

describe('views/certificateContract', () => {
  it('accepts each request the page sends', () => {
    const requests: CertificateToHost[] = [
      { type: 'selectCertificate', certificateId: T },
      { type: 'selectCertificate', certificateId: '5A1E0F3C2B' }, // a catalog's CA, by serial number
      { type: 'download', format: 'p7b' },
      { type: 'next' },
      { type: 'back' },
      { type: 'choosePath', path: 'byHand' },
      { type: 'createProof', code: 'not checked here: the wizard says what is wrong with it' },
      { type: 'selectHub', hubId: '/subscriptions/x' },
      { type: 'prove', hubId: '/subscriptions/x', certificateName: 'ca' },
      { type: 'retry' },
      { type: 'finish' },
      { type: 'startOver' },
    ];
    for (const r of requests) assert.deepEqual(parseFromWebview(certificateContract, r), { kind: 'message', message: r });
  });

  it('refuses unknown types, bad values and extra keys (nothing smuggled in)', () => {
    const invalid = (raw: unknown, pattern: RegExp) => {
      const parsed = parseFromWebview(certificateContract, raw);
      assert.equal(parsed.kind, 'invalid');
      assert.match((parsed as { error: string }).error, pattern);
    };
    invalid({ type: 'delete' }, /unknown message type "delete"/);
    invalid({ type: 'download', format: 'der' }, /format: expected one of "cer", "pem", "p7b"/);
    invalid({ type: 'selectCertificate', thumbprint: T }, /unexpected key "thumbprint"/);
    invalid({ type: 'selectCertificate', certificateId: '../certificates/.default' }, /certificateId: does not match/);
    invalid({ type: 'selectCertificate', certificateId: 'A'.repeat(129) }, /certificateId: does not match/);
    invalid({ type: 'next', token: 'eyJ…' }, /unexpected key "token"/);
    invalid({ type: 'createProof', code: 'x'.repeat(201) }, /longer than 200/);
  });

  it('a view is display data only', () => {
    const view = { step: 'certificates', scopeId: '768c2cd6-1bf0-4521-9f53-084a331d81cb', scopeKind: 'legacy', scopeName: 'Contoso', certificates: [], downloads: [] };
    assert.deepEqual(certificateView.parse(view), view);
    const catalog = {
      ...view,
      scopeId: '/subscriptions/s/resourceGroups/sphere-catalogs/providers/Microsoft.AzureSphere/catalogs/contoso-lab',
      scopeKind: 'catalog',
      scopeName: 'contoso-lab',
      certificates: [{ id: '5A1E0F3C2B', subject: 'CN=x', notBefore: '', notAfter: '', status: 'active', statusLabel: 'Active', usable: true }],
      certificateId: '5A1E0F3C2B',
    };
    assert.deepEqual(certificateView.parse(catalog), catalog, 'a catalog CA without a thumbprint is listed by its serial number');
    assert.throws(() => certificateView.parse({ ...view, scopeKind: 'subscription' }), /scopeKind: expected one of "legacy", "catalog"/);
    assert.throws(() => certificateView.parse({ ...view, accessToken: 'x' }), /unexpected key "accessToken"/);
    assert.throws(() => certificateView.parse({ ...view, step: 'elsewhere' }), /step: expected one of/);
  });
});
