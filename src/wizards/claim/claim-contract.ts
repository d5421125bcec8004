// The claim wizard's messages (docs/webviews.md): the host owns the wizard and sends one full view model per change;
// the page renders it and sends the user's intents back. Display data only: names, IDs, texts — never a token.
import { defineContract } from '../../views/shared/contract';
import { array, boolean, nullable, object, oneOf, optional, string, type Infer } from '../../views/shared/schema';

export const CLAIM_WIZARD_VIEW_TYPE = 'sphereExplorer.claimWizard';

export const CLAIM_STEPS = ['account', 'board', 'confirm', 'progress', 'result'] as const;
export type ClaimStep = (typeof CLAIM_STEPS)[number];

const id = string({ max: 200 });
const text = string({ max: 2000 });
/** Device IDs are 128 hex digits. */
const deviceId = string({ max: 128, pattern: /^[0-9A-Fa-f]{1,128}$/ });

const tenantChoice = object({
  id,
  name: text,
  roles: text,
  /** False when the user's role cannot claim (Readers); `reason` says so. */
  canClaim: boolean(),
  reason: optional(text),
});

/** Where a board stands relative to the target tenant. */
export const BOARD_STANDINGS = ['available', 'here', 'elsewhere', 'unknown', 'unreadable', 'reading'] as const;
export type BoardStanding = (typeof BOARD_STANDINGS)[number];

const boardChoice = object({
  key: id,
  name: text,
  deviceId: nullable(deviceId),
  shortId: optional(text),
  securityState: optional(text),
  osVersion: optional(text),
  connection: text,
  standing: oneOf(BOARD_STANDINGS),
  /** One sentence about the standing ("Already claimed into Contoso Fleet…"). */
  standingText: text,
});

const problem = object({ title: text, message: text });

const claimView = object({
  step: oneOf(CLAIM_STEPS),
  /** Still loading what the current step shows. */
  loading: boolean(),
  account: nullable(object({ username: text, displayName: text })),
  /** Why the account cannot claim at all (signed out, personal account, not registered, no tenant). */
  accountProblem: nullable(object({ kind: oneOf(['signedOut', 'personal', 'notRegistered', 'noTenants', 'failed']), title: text, message: text })),
  tenants: array(tenantChoice, { max: 500 }),
  tenantId: nullable(id),
  boards: array(boardChoice, { max: 100 }),
  boardKey: nullable(id),
  /** The specific reason the typed confirmation was refused (nothing was sent). */
  confirmError: nullable(text),
  /** A failure on the current step (the service refused, the board vanished…). */
  error: nullable(problem),
  result: nullable(object({ boardName: text, deviceId, tenantName: text, tenantId: id, alreadyClaimed: boolean() })),
  /** Which follow-up commands exist in this editor. */
  nextSteps: object({ wifi: boolean(), certificate: boolean() }),
});
export type ClaimView = Infer<typeof claimView>;
export type TenantChoice = Infer<typeof tenantChoice>;
export type BoardChoice = Infer<typeof boardChoice>;

export const NEXT_STEP_ACTIONS = ['wifi', 'certificate', 'claimAnother', 'close'] as const;
export type NextStepAction = (typeof NEXT_STEP_ACTIONS)[number];

const claimState = object({ step: oneOf(CLAIM_STEPS), tenantId: optional(id), deviceId: optional(deviceId) });
export type ClaimWizardState = Infer<typeof claimState>;

export const claimContract = defineContract({
  viewType: CLAIM_WIZARD_VIEW_TYPE,
  toWebview: { render: { view: claimView } },
  toHost: {
    selectTenant: { tenantId: id },
    selectBoard: { boardKey: id },
    next: {},
    back: {},
    /** The tenant name as the user typed it (checked by the host; nothing is sent unless it matches). */
    confirm: { typedName: string({ max: 300 }) },
    refresh: {},
    signIn: {},
    nextStep: { action: oneOf(NEXT_STEP_ACTIONS) },
  },
  state: claimState,
});
