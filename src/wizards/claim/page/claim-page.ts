// The claim wizard's page: renders the host's view model, sends the user's intents. No wizard logic lives here.
import { claimContract, type BoardChoice, type ClaimView, type PlacementView } from '../claim-contract';
import { connectToHost } from '../../../views/webview/lib/host';
import {
  actions,
  button,
  choiceList,
  code,
  facts,
  h,
  icon,
  notice,
  paragraph,
  progressRing,
  registerComponents,
  section,
  stepper,
  textField,
  type Child,
} from '../../../views/webview/ui/components';
import { onEscape, render } from '../../../views/webview/ui/render';

registerComponents();
const root = document.getElementById('app') as HTMLElement;
const STEP_TITLES = ['Account and target', 'Board', 'Confirm', 'Claim'];
/** The product choice that means: no product, the catalog only. */
const CATALOG_ONLY = 'catalog-only';
let current: ClaimView | undefined;

const host = connectToHost(claimContract, (message) => {
  current = message.view;
  show(message.view);
});

onEscape(() => {
  if (current?.step === 'board' || current?.step === 'confirm') host.post({ type: 'back' });
});

function show(view: ClaimView): void {
  const stepIndex = { account: 0, board: 1, confirm: 2, progress: 3, result: 3 }[view.step];
  const page = h(
    'div',
    { class: 'wizard', 'data-step': view.step },
    h('h1', {}, 'Claim a board'),
    h('p', { class: 'subtitle' }, 'Claiming puts a board into one Azure Sphere tenant or catalog of your organization, for good.'),
    stepper(STEP_TITLES, stepIndex),
    { account: accountStep, board: boardStep, confirm: confirmStep, progress: progressStep, result: resultStep }[view.step](view),
  );
  render(root, page, view.step);
}

// ---- step 1 ----------------------------------------------------------------------------------------------------

function accountStep(view: ClaimView): HTMLElement {
  if (view.loading && !view.account && !view.accountProblem) return section('Who and where', progressRing('Reading your account, tenants and catalogs…'));
  const problem = view.accountProblem;
  const scope = view.scopes.find((s) => s.id === view.scopeId);
  const placement = view.placement;
  const placementReady = !placement || (!placement.loading && (!placement.productId || !!placement.groupId));
  const ready = !problem && !!scope?.canClaim && placementReady;
  return section(
    'Who and where',
    view.account && facts([['Signed in as', `${view.account.displayName} (${view.account.username})`]]),
    problem && notice(problem.kind === 'failed' || problem.kind === 'personal' ? 'error' : 'warning', problem.title, problem.message),
    view.error && notice('error', view.error.title, view.error.message),
    !problem &&
      choiceList({
        key: 'scope',
        label: 'Tenant or catalog the board will join',
        selected: view.scopeId ?? undefined,
        choices: view.scopes.map((s) => ({ value: s.id, label: s.name, details: [s.description] })),
        onChange: (scopeId) => host.post({ type: 'selectScope', scopeId }),
        onEnter: () => ready && host.post({ type: 'next' }),
      }),
    scope && !scope.canClaim && !view.error && notice('warning', `You cannot claim boards into ${scope.name}`, scope.reason),
    scope?.kind === 'catalog' && scope.canClaim && placement && placementStep(scope.name, placement, () => ready && host.post({ type: 'next' })),
    actions(
      problem?.kind === 'signedOut'
        ? button({ key: 'signIn', label: 'Sign In', icon: 'sign-in', onClick: () => host.post({ type: 'signIn' }) })
        : button({ key: 'next', label: 'Next', disabled: !ready, onClick: () => host.post({ type: 'next' }) }),
      button({ key: 'refresh', label: 'Refresh', appearance: 'secondary', icon: 'refresh', onClick: () => host.post({ type: 'refresh' }) }),
    ),
  );
}

/** Catalogs: claim into the catalog only (the default), or into one of a product's device groups. */
function placementStep(catalogName: string, placement: PlacementView, onEnter: () => void): HTMLElement {
  const product = placement.products.find((p) => p.id === placement.productId);
  return h(
    'div',
    { class: 'placement' },
    h('h3', {}, `Where in ${catalogName} (optional)`),
    placement.error && notice('error', 'Nothing to choose from', placement.error),
    // A single "None" radio reads as a question with no choice: say what happens instead.
    !placement.loading && !placement.error && placement.products.length === 0
      ? paragraph(`${catalogName} has no products yet, so the board goes into the catalog only: no product or device group, and no cloud deployments until it is in one.`)
      : choiceList({
      key: 'product',
      label: 'Product',
      selected: placement.productId ?? CATALOG_ONLY,
      choices: [
        { value: CATALOG_ONLY, label: 'None: the catalog only', details: ['No product or device group yet: it gets no cloud deployments until it is in one.'] },
        ...placement.products.map((p) => ({ value: p.id, label: p.name, details: p.description ? [p.description] : [] })),
      ],
          onChange: (value) => host.post({ type: 'selectProduct', productId: value === CATALOG_ONLY ? null : value }),
          onEnter,
        }),
    product &&
      !placement.loading &&
      (placement.groups.length
        ? choiceList({
            key: 'group',
            label: `Device group of ${product.name}`,
            selected: placement.groupId ?? undefined,
            choices: placement.groups.map((g) => ({ value: g.id, label: g.name, details: g.description ? [g.description] : [] })),
            onChange: (groupId) => host.post({ type: 'selectGroup', groupId }),
            onEnter,
          })
        : !placement.error && notice('warning', `${product.name} has no device groups`, 'Create its device groups first (Create Default Device Groups), or claim into the catalog only.')),
    product && !placement.loading && placement.groups.length > 0 && !placement.groupId && paragraph(`Choose one of ${product.name}'s device groups, or None for the catalog only.`),
    placement.loading && progressRing(product ? `Reading the device groups of ${product.name}…` : `Reading the products of ${catalogName}…`),
  );
}

// ---- step 2 ----------------------------------------------------------------------------------------------------

const STANDING_ICONS: Record<BoardChoice['standing'], string> = {
  available: 'pass',
  here: 'info',
  elsewhere: 'error',
  unknown: 'question',
  unreadable: 'warning',
  reading: 'loading',
};

function boardDetails(board: BoardChoice): Child[] {
  const facts = [board.securityState && `Security state ${board.securityState}`, board.osVersion && `OS ${board.osVersion}`, board.connection].filter(Boolean).join(' · ');
  return [
    h('span', { class: 'board-id' }, 'Device ID ', board.deviceId ? code(board.deviceId) : 'not read yet'),
    h('span', { class: 'board-facts' }, facts),
    h('span', { class: `standing standing-${board.standing}` }, icon(STANDING_ICONS[board.standing]), ' ', board.standingText),
  ];
}

function boardStep(view: ClaimView): HTMLElement {
  const scope = view.scopes.find((s) => s.id === view.scopeId);
  const board = view.boards.find((b) => b.key === view.boardKey);
  const canGoOn = board?.standing === 'available' || board?.standing === 'unknown';
  const standingNotice =
    board?.standing === 'elsewhere'
      ? notice('error', `${board.name} cannot be claimed into ${scope?.name ?? 'this tenant'}`, board.standingText)
      : board?.standing === 'here'
        ? notice('info', 'Nothing to do', board.standingText)
        : board?.standing === 'unreadable'
          ? notice('warning', `${board.name} does not answer`, board.standingText)
          : undefined;
  return section(
    'Which board',
    paragraph('Claiming into ', h('strong', {}, scope?.name ?? '—'), placementWords(view), '.'),
    view.error && notice('error', view.error.title, view.error.message),
    view.boards.length === 0 && !view.loading
      ? notice('info', 'No board is attached', 'Connect an Azure Sphere board over USB, or run "Azure Sphere: Start Local Cloud Emulator and Simulated Board", then refresh.')
      : choiceList({
          key: 'board',
          label: 'Attached boards',
          selected: view.boardKey ?? undefined,
          choices: view.boards.map((b) => ({ value: b.key, label: b.shortId ? `${b.name} (${b.shortId})` : b.name, details: boardDetails(b) })),
          onChange: (boardKey) => host.post({ type: 'selectBoard', boardKey }),
          onEnter: () => canGoOn && host.post({ type: 'next' }),
        }),
    !view.error && standingNotice,
    view.loading && progressRing('Looking for boards…'),
    actions(
      button({ key: 'next', label: 'Next', disabled: !canGoOn, onClick: () => host.post({ type: 'next' }) }),
      button({ key: 'back', label: 'Back', appearance: 'secondary', onClick: () => host.post({ type: 'back' }) }),
      button({ key: 'refresh', label: 'Refresh', appearance: 'secondary', icon: 'refresh', onClick: () => host.post({ type: 'refresh' }) }),
    ),
  );
}

// ---- step 3 ----------------------------------------------------------------------------------------------------

function confirmStep(view: ClaimView): HTMLElement {
  const scope = view.scopes.find((s) => s.id === view.scopeId);
  const board = view.boards.find((b) => b.key === view.boardKey);
  const what = scope?.kind === 'catalog' ? 'catalog' : 'tenant';
  const draftKey = `typedName:${view.scopeId ?? ''}`;
  const confirm = () => host.post({ type: 'confirm', typedName: host.draft(draftKey) });
  const placement = view.placement;
  const product = placement?.products.find((p) => p.id === placement.productId);
  const group = placement?.groups.find((g) => g.id === placement.groupId);
  return section(
    'The point of no return',
    view.error && notice('error', view.error.title, view.error.message),
    facts([
      ['Board', board ? board.name : '—'],
      ['Device ID', board?.deviceId ? code(board.deviceId) : '—'],
      ...(scope?.kind === 'catalog'
        ? ([
            ['Catalog', scope.name],
            ['Where in it', product && group ? `${product.name} › ${group.name}` : 'The catalog only (no product or device group)'],
            ['Resource ID', code(scope.id)],
          ] as const)
        : ([
            ['Tenant', scope ? scope.name : '—'],
            ['Tenant ID', scope ? code(scope.id) : '—'],
          ] as const)),
    ]),
    notice(
      'warning',
      'Claiming is permanent',
      `Once claimed, this board belongs to ${scope?.name ?? `the ${what}`} for good. It can never be moved to another tenant or catalog, not even if it is sold or given away.`,
    ),
    textField({
      key: 'typedName',
      label: `To confirm, type the ${what}'s name: ${scope?.name ?? ''}`,
      value: host.draft(draftKey),
      invalid: !!view.confirmError,
      describedBy: view.confirmError ? 'confirm-error' : undefined,
      onInput: (value) => host.setDraft(draftKey, value),
      onEnter: (value) => {
        host.setDraft(draftKey, value);
        confirm();
      },
    }),
    view.confirmError && notice('error', 'The name does not match', view.confirmError, 'confirm-error'),
    actions(
      button({ key: 'claim', label: 'Claim Board', icon: 'lock', onClick: confirm }),
      button({ key: 'back', label: 'Back', appearance: 'secondary', onClick: () => host.post({ type: 'back' }) }),
    ),
  );
}

/** ", device group Development of Contoso Thermostat" for a catalog claim into a group; nothing otherwise. */
function placementWords(view: ClaimView): string {
  const placement = view.placement;
  const product = placement?.products.find((p) => p.id === placement.productId);
  const group = placement?.groups.find((g) => g.id === placement.groupId);
  if (!placement) return '';
  return product && group ? `, device group ${group.name} of ${product.name}` : ' (the catalog only)';
}

// ---- step 4 ----------------------------------------------------------------------------------------------------

function progressStep(view: ClaimView): HTMLElement {
  const scope = view.scopes.find((s) => s.id === view.scopeId);
  const board = view.boards.find((b) => b.key === view.boardKey);
  return section(
    'Claiming',
    progressRing(`Claiming ${board?.name ?? 'the board'} into ${scope?.name ?? 'the tenant'}${placementWords(view)}…`),
    paragraph(
      scope?.kind === 'catalog'
        ? 'Azure Resource Manager is claiming it into the catalog; this usually takes a few seconds.'
        : 'The Azure Sphere security service is running the claim operation; this usually takes a few seconds.',
    ),
    paragraph('You may close this tab: the claim goes on, and you will be told when it is done.'),
  );
}

function resultStep(view: ClaimView): HTMLElement {
  const result = view.result;
  if (!result) return section('Claimed', paragraph('The claim is done.'));
  host.clearDrafts();
  return section(
    'Claimed',
    notice(
      'success',
      `${result.boardName} is claimed into ${result.scopeName}`,
      `It belongs to this ${result.scopeKind === 'catalog' ? 'catalog' : 'tenant'} from now on, and shows as claimed in the Devices view.`,
    ),
    facts([
      ['Device ID', code(result.deviceId)],
      [result.scopeKind === 'catalog' ? 'Catalog' : 'Tenant', `${result.scopeName}`],
      ...(result.scopeKind === 'catalog' ? ([['Device group', result.productName && result.groupName ? `${result.groupName} of ${result.productName}` : 'None (the catalog only)']] as const) : []),
    ]),
    h('h3', {}, 'Next steps'),
    h(
      'ul',
      { class: 'next-steps' },
      h('li', {}, h('strong', {}, 'Wi-Fi: '), 'connect the board to a network so it can reach the Azure Sphere security service and receive updates.'),
      h(
        'li',
        {},
        h('strong', {}, 'CA certificate: '),
        'prove to your IoT Hub or Device Provisioning Service that you hold the tenant\'s CA certificate, so the board can connect with its device certificate.',
        !view.nextSteps.certificate && ' (Needs the certificate wizard, "Azure Sphere: Validate CA Certificate", which this version does not have yet.)',
      ),
    ),
    actions(
      button({ key: 'wifi', label: 'Set Up Wi-Fi…', icon: 'radio-tower', disabled: !view.nextSteps.wifi, onClick: () => host.post({ type: 'nextStep', action: 'wifi' }) }),
      button({
        key: 'certificate',
        label: 'Validate CA Certificate…',
        icon: 'verified',
        appearance: 'secondary',
        disabled: !view.nextSteps.certificate,
        onClick: () => host.post({ type: 'nextStep', action: 'certificate' }),
      }),
      button({ key: 'another', label: 'Claim Another Board', appearance: 'secondary', onClick: () => host.post({ type: 'nextStep', action: 'claimAnother' }) }),
      button({ key: 'close', label: 'Close', appearance: 'secondary', onClick: () => host.post({ type: 'nextStep', action: 'close' }) }),
    ),
  );
}
