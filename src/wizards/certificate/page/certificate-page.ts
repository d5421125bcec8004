// The certificate-validation wizard's page: draws the view the host sends and sends back the person's choices.
// All decisions are the host's; the page only checks the verification code as it is typed (the same check the host
// runs again), so a bad paste is explained before anything is asked of the service.
import { certificateContract, type CaRowView, type CertificateStep, type CertificateView } from '../certificate-contract';
import { checkVerificationCode } from '../verification-code';
import { connectToHost } from '../../../views/webview/lib/host';
import { actions, button, choiceList, code, facts, h, icon, notice, paragraph, progressRing, registerComponents, section, stepper, tag, textField, type Child } from '../../../views/webview/ui/components';
import { onEscape, render } from '../../../views/webview/ui/render';
import './certificate-page.css';

registerComponents();
const root = document.getElementById('app')!;
let current: CertificateView | undefined;
const host = connectToHost(certificateContract, (message) => {
  if (message.type === 'view') show(message.view);
});
onEscape(() => {
  if (current && !current.busy && BACK_FROM.has(current.step)) host.post({ type: 'back' });
});

const STEPPER = ['CA certificate', 'How to prove', 'Prove possession', 'Summary'];
const STEPPER_INDEX: Record<CertificateStep, number> = { certificates: 0, path: 1, byHand: 2, byHandDone: 2, hub: 2, progress: 2, summary: 3 };
const BACK_FROM = new Set<CertificateStep>(['path', 'byHand', 'byHandDone', 'hub']);

/** "tenant" or "catalog": the page names the scope as it is. */
function noun(view: CertificateView): string {
  return view.scopeKind === 'catalog' ? 'catalog' : 'tenant';
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function show(view: CertificateView): void {
  current = view;
  const body: Child[] = [];
  switch (view.step) {
    case 'certificates':
      body.push(certificatesStep(view));
      break;
    case 'path':
      body.push(pathStep(view));
      break;
    case 'byHand':
      body.push(byHandStep(view));
      break;
    case 'byHandDone':
      body.push(byHandDoneStep(view));
      break;
    case 'hub':
      body.push(hubStep(view));
      break;
    case 'progress':
      body.push(progressStep(view));
      break;
    case 'summary':
      body.push(summaryStep(view));
      break;
  }
  render(
    root,
    h(
      'div',
      { class: `wizard certificate-wizard${view.busy ? ' is-busy' : ''}`, 'aria-busy': view.busy ? 'true' : undefined },
      h('h1', {}, `Validate the ${noun(view)} CA certificate`),
      h('p', { class: 'subtitle' }, `${capitalized(noun(view))}: ${view.scopeName || '—'}`),
      stepper(STEPPER, STEPPER_INDEX[view.step]),
      ...body,
      view.busy ? progressRing(`${view.busy}…`) : undefined,
    ),
    view.step,
  );
}

/** The page's error, with Try Again when the host can repeat the failed step. */
function errorNotice(view: CertificateView): Child {
  if (!view.error) return undefined;
  return h(
    'div',
    { class: 'error-block' },
    notice('error', view.error.title, view.error.message, 'wizard-error'),
    view.error.canRetry ? actions(button({ key: 'retry', label: 'Try Again', icon: 'refresh', disabled: !!view.busy, onClick: () => host.post({ type: 'retry' }) })) : undefined,
  );
}

function statusTag(row: CaRowView): HTMLElement {
  return h('span', { class: `ca-status ca-status-${row.status}` }, row.statusLabel);
}

function day(iso: string): string {
  return iso ? iso.slice(0, 10) : '—';
}

function certificatesStep(view: CertificateView): HTMLElement {
  const busy = !!view.busy;
  // A catalog names its CAs by serial number: the thumbprint (what IoT Hub and DPS show) is the label where the
  // service says it, and the serial number is said beside it.
  const byThumbprint = view.certificates.every((row) => row.thumbprint);
  const choices = view.certificates.map((row) => ({
    value: row.id,
    label: row.thumbprint ?? `Serial ${row.id}`,
    disabled: !row.usable,
    details: [
      statusTag(row),
      ` ${row.subject || 'subject not given'} · valid ${day(row.notBefore)} – ${day(row.notAfter)}`,
      view.scopeKind === 'catalog' && row.thumbprint ? h('span', { class: 'ca-serial' }, `Serial number ${row.id}`) : undefined,
    ],
  }));
  return section(
    `The ${noun(view)}’s CA certificates`,
    paragraph(`IoT Hub and DPS trust your devices once they trust this CA: upload it there and prove that your ${noun(view)} holds its key. Choose the CA (the active one is preselected) and download it if you need the file.`),
    errorNotice(view),
    view.certificates.length
      ? choiceList({
          key: 'ca',
          label: byThumbprint ? 'CA certificate (SHA-1 thumbprint)' : 'CA certificate (SHA-1 thumbprint, or serial number)',
          choices,
          selected: view.certificateId,
          onChange: (certificateId) => host.post({ type: 'selectCertificate', certificateId }),
        })
      : undefined,
    view.certificates.length
      ? h(
          'div',
          { class: 'downloads' },
          h('h3', {}, 'Download'),
          actions(
            button({ key: 'dl-cer', label: 'Save as .cer (DER)', icon: 'desktop-download', appearance: 'secondary', disabled: busy || !view.certificateId, onClick: () => host.post({ type: 'download', format: 'cer' }) }),
            button({ key: 'dl-pem', label: 'Save as .pem', icon: 'desktop-download', appearance: 'secondary', disabled: busy || !view.certificateId, onClick: () => host.post({ type: 'download', format: 'pem' }) }),
            button({ key: 'dl-p7b', label: 'Save chain as .p7b', icon: 'desktop-download', appearance: 'secondary', disabled: busy || !view.certificateId, onClick: () => host.post({ type: 'download', format: 'p7b' }) }),
          ),
          view.downloads.length ? fileList(view.downloads) : undefined,
        )
      : undefined,
    actions(button({ key: 'next', label: 'Next', icon: 'arrow-right', disabled: busy || !view.certificateId, onClick: () => host.post({ type: 'next' }) })),
  );
}

function fileList(files: CertificateView['downloads']): HTMLElement {
  return h('ul', { class: 'files' }, ...files.map((f) => h('li', {}, icon('file'), ' ', code(f.path), h('span', { class: 'file-what' }, f.description))));
}

function pathStep(view: CertificateView): HTMLElement {
  return section(
    'How do you want to prove possession?',
    errorNotice(view),
    choiceList({
      key: 'path',
      label: 'Choose one',
      selected: view.path,
      onChange: (value) => host.post({ type: 'choosePath', path: value === 'byHand' ? 'byHand' : 'inOneGo' }),
      choices: [
        {
          value: 'inOneGo',
          label: 'In one go — the wizard does it with your IoT hub or DPS',
          details: ['Uploads the CA, asks the hub for a verification code, gets the proof, checks it and has the hub verify it. Needs access to the hub with the signed-in account.'],
        },
        {
          value: 'byHand',
          label: 'By hand — I have a verification code from the portal',
          details: ['Paste the code IoT Hub or DPS shows; the wizard saves the proof certificate, checks it, and tells you where to upload it.'],
        },
      ],
    }),
    actions(
      button({ key: 'next', label: 'Next', icon: 'arrow-right', disabled: !!view.busy || !view.path, onClick: () => host.post({ type: 'next' }) }),
      button({ key: 'back', label: 'Back', appearance: 'secondary', onClick: () => host.post({ type: 'back' }) }),
    ),
  );
}

function byHandStep(view: CertificateView): HTMLElement {
  const problemOf = (typed: string) => {
    const live = typed.trim() ? checkVerificationCode(typed) : undefined;
    return live && !live.ok ? live.problem : undefined;
  };
  const submit = (value: string) => host.post({ type: 'createProof', code: value });
  // The problem and the button follow the text as it is typed, without redrawing the field (the caret stays put).
  const problemSlot = h('div', { class: 'problem-slot' });
  const showProblem = (problem: string | undefined) => problemSlot.replaceChildren(...(problem ? [notice('error', 'This is not a verification code', problem, 'code-problem')] : []));
  const typed = host.draft('code');
  const problem = problemOf(typed) ?? view.codeProblem;
  showProblem(problem);
  const createButton = button({ key: 'create', label: 'Get Proof and Save…', icon: 'save', disabled: !!view.busy || !typed.trim() || !!problemOf(typed), onClick: () => submit(host.draft('code')) });
  const field = textField({
    key: 'code',
    label: 'Verification code',
    value: typed,
    placeholder: 'e.g. 47292AB6260DB02CCD2D07C601B7303DD49858B6',
    invalid: !!problem,
    describedBy: 'code-problem',
    onInput: (value) => {
      host.setDraft('code', value);
      const now = problemOf(value);
      showProblem(now);
      field.classList.toggle('invalid', !!now);
      if (now) field.setAttribute('aria-invalid', 'true');
      else field.removeAttribute('aria-invalid');
      if (view.busy || !value.trim() || now) createButton.setAttribute('disabled', '');
      else createButton.removeAttribute('disabled');
    },
    onEnter: (value) => {
      if (!problemOf(value)) submit(value);
    },
  });
  return section(
    'Get the proof for your verification code',
    paragraph('In the Azure portal, open the CA certificate you uploaded to your IoT hub or DPS, press “Generate Verification Code”, copy the code and paste it here.'),
    errorNotice(view),
    field,
    problemSlot,
    actions(createButton, button({ key: 'back', label: 'Back', appearance: 'secondary', onClick: () => host.post({ type: 'back' }) })),
  );
}

function byHandDoneStep(view: CertificateView): HTMLElement {
  const proof = view.proof;
  if (!proof) return section('No proof yet', actions(button({ key: 'back', label: 'Back', onClick: () => host.post({ type: 'back' }) })));
  return section(
    'Proof saved and checked',
    notice('success', 'The proof passed every check', [h('ul', { class: 'checks' }, ...proof.checks.map((c) => h('li', {}, icon('pass'), ' ', h('strong', {}, c.label), ` — ${c.detail}`)))]),
    facts([
      ['Proof file', code(proof.path)],
      ['Verification code', code(proof.verificationCode)],
      ['Signed by CA', code(proof.caThumbprint)],
    ]),
    h('h3', {}, 'Now upload it'),
    h(
      'ol',
      { class: 'upload-steps' },
      h('li', {}, h('strong', {}, 'IoT Hub: '), proof.upload.iotHubPortal),
      h('li', {}, h('strong', {}, 'DPS: '), proof.upload.dpsPortal),
    ),
    paragraph('Or with the Azure CLI:'),
    h('pre', { class: 'cli' }, proof.upload.iotHubCli, '\n', proof.upload.dpsCli),
    actions(
      button({ key: 'finish', label: 'Finish', icon: 'check', onClick: () => host.post({ type: 'finish' }) }),
      button({ key: 'back', label: 'Back', appearance: 'secondary', onClick: () => host.post({ type: 'back' }) }),
    ),
  );
}

function hubStep(view: CertificateView): HTMLElement {
  const name = host.draft('certName') || view.certificateName || '';
  const hubs = view.hubs ?? [];
  const prove = () => view.hubId && host.post({ type: 'prove', hubId: view.hubId, certificateName: host.draft('certName') || view.certificateName || '' });
  return section(
    'Choose the IoT hub or DPS',
    paragraph('The wizard uploads the CA certificate to it under the name below, then proves possession and has the hub verify it.'),
    errorNotice(view),
    hubs.length
      ? choiceList({ key: 'hub', label: 'IoT hub or Device Provisioning Service', selected: view.hubId, choices: hubs.map((hub) => ({ value: hub.id, label: hub.label, details: [hub.description] })), onChange: (hubId) => host.post({ type: 'selectHub', hubId }) })
      : undefined,
    textField({
      key: 'certName',
      label: 'Certificate name on the hub',
      value: name,
      invalid: !!view.nameProblem,
      describedBy: view.nameProblem ? 'name-problem' : undefined,
      onInput: (value) => host.setDraft('certName', value),
      onEnter: () => prove(),
    }),
    view.nameProblem ? notice('error', 'This name will not do', view.nameProblem, 'name-problem') : undefined,
    actions(
      button({ key: 'prove', label: 'Upload and Verify', icon: 'verified', disabled: !!view.busy || !view.hubId, onClick: () => prove() }),
      button({ key: 'back', label: 'Back', appearance: 'secondary', onClick: () => host.post({ type: 'back' }) }),
    ),
  );
}

const PROGRESS_ICONS = { pending: 'circle-large-outline', running: 'loading', done: 'pass-filled', skipped: 'pass', failed: 'error' } as const;

function progressStep(view: CertificateView): HTMLElement {
  const result = view.hubResult;
  return section(
    result ? (result.verified ? `${result.hubName} shows the certificate Verified` : `${result.hubName} has not verified the certificate`) : 'Proving possession',
    h(
      'ol',
      { class: 'progress-steps' },
      ...(view.progress ?? []).map((p) =>
        h('li', { class: `progress-${p.state}` }, icon(PROGRESS_ICONS[p.state], p.state), ' ', p.label, p.state === 'skipped' ? h('span', { class: 'file-what' }, ' — already on the hub, not needed') : undefined),
      ),
    ),
    errorNotice(view),
    result
      ? h(
          'div',
          {},
          notice(result.verified ? 'success' : 'warning', result.alreadyVerified ? 'It was already verified' : result.verified ? 'Verified' : 'Unverified', `${result.hubKind} ${result.hubName} lists “${result.certificateName}” as ${result.verified ? 'Verified' : 'Unverified'}.`),
          facts([
            ['Certificate name', result.certificateName],
            ['Status', tag(result.verified ? 'Verified' : 'Unverified')],
            ['Thumbprint', code(result.thumbprint)],
            ['Subject', result.subject],
            ['Expires', result.expiry],
          ]),
        )
      : undefined,
    actions(
      result ? button({ key: 'finish', label: 'Finish', icon: 'check', onClick: () => host.post({ type: 'finish' }) }) : undefined,
      !view.busy && !result ? button({ key: 'back', label: 'Back', appearance: 'secondary', onClick: () => host.post({ type: 'back' }) }) : undefined,
    ),
  );
}

function summaryStep(view: CertificateView): HTMLElement {
  const summary = view.summary ?? { actions: [], files: [] };
  return section(
    'Summary',
    summary.actions.length ? h('ul', { class: 'done-list' }, ...summary.actions.map((a) => h('li', {}, icon('check'), ' ', a))) : paragraph('Nothing was changed.'),
    h('h3', {}, 'Files written'),
    summary.files.length ? fileList(summary.files) : paragraph('None.'),
    actions(button({ key: 'again', label: 'Start Over', icon: 'debug-restart', appearance: 'secondary', onClick: () => host.post({ type: 'startOver' }) })),
  );
}
