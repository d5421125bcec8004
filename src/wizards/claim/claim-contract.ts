// The claim wizard's messages (docs/webviews.md): the host owns the wizard and sends one full view model per change;
// the page renders it and sends the user's intents back. Display data only: names, IDs, texts — never a token.
// A "scope" is where a board is claimed into: a legacy tenant or an Azure Sphere (Integrated) catalog.
import { defineContract } from '../../views/shared/contract';
import { array, boolean, nullable, object, oneOf, optional, string, type Infer } from '../../views/shared/schema';

export const CLAIM_WIZARD_VIEW_TYPE = 'sphereExplorer.claimWizard';

export const CLAIM_STEPS = ['account', 'board', 'confirm', 'progress', 'result'] as const;
export type ClaimStep = (typeof CLAIM_STEPS)[number];

const id = string({ max: 200 });
/** A tenant GUID or a catalog's ARM resource ID (resource group and catalog names make these long). */
const scopeId = string({ max: 600 });
/** A product or device group: a GUID (tenant) or an ARM resource ID (catalog, below the catalog's ID). */
const fleetItemId = string({ max: 1000 });
const text = string({ max: 2000 });
/** Device IDs are 128 hex digits. */
const deviceId = string({ max: 128, pattern: /^[0-9A-Fa-f]{1,128}$/ });
const scopeKind = oneOf(['legacy', 'catalog']);

const scopeChoice = object({
  id: scopeId,
  name: text,
  kind: scopeKind,
  /** What it is, in the words the other pickers use ("tenant · Administrator", "catalog · resource group …"). */
  description: text,
  /** False when the user cannot claim here (a tenant Reader, or a catalog Azure refused a claim into); `reason` says why. */
  canClaim: boolean(),
  reason: optional(text),
});

const fleetItem = object({ id: fleetItemId, name: text, description: text });

/** Catalogs only: where in the catalog the board goes — nowhere in particular (catalog only), or a product's device group. */
const placement = object({
  loading: boolean(),
  products: array(fleetItem, { max: 1000 }),
  /** Null: claim into the catalog only. */
  productId: nullable(fleetItemId),
  /** The chosen product's device groups. */
  groups: array(fleetItem, { max: 1000 }),
  groupId: nullable(fleetItemId),
  /** Reading the products or groups failed (nothing was sent). */
  error: nullable(text),
});

/** Where a board stands relative to the target tenant or catalog. */
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
  /** Why the account cannot claim at all (signed out, personal account, not registered, no tenant or catalog). */
  accountProblem: nullable(object({ kind: oneOf(['signedOut', 'personal', 'notRegistered', 'noTenants', 'failed']), title: text, message: text })),
  /** The user's tenants first, then the catalogs they can see. */
  scopes: array(scopeChoice, { max: 500 }),
  scopeId: nullable(scopeId),
  /** For a catalog target; null for a tenant. */
  placement: nullable(placement),
  boards: array(boardChoice, { max: 100 }),
  boardKey: nullable(id),
  /** The specific reason the typed confirmation was refused (nothing was sent). */
  confirmError: nullable(text),
  /** A failure on the current step (the service refused, the board vanished…). */
  error: nullable(problem),
  result: nullable(
    object({
      boardName: text,
      deviceId,
      scopeName: text,
      scopeId,
      scopeKind,
      /** Catalogs: the product and device group it was claimed into, when one was chosen. */
      productName: optional(text),
      groupName: optional(text),
      alreadyClaimed: boolean(),
    }),
  ),
  /** Which follow-up commands exist in this editor. */
  nextSteps: object({ wifi: boolean(), certificate: boolean() }),
});
export type ClaimView = Infer<typeof claimView>;
export type ScopeChoice = Infer<typeof scopeChoice>;
export type PlacementView = Infer<typeof placement>;
export type BoardChoice = Infer<typeof boardChoice>;

export const NEXT_STEP_ACTIONS = ['wifi', 'certificate', 'claimAnother', 'close'] as const;
export type NextStepAction = (typeof NEXT_STEP_ACTIONS)[number];

const claimState = object({
  step: oneOf(CLAIM_STEPS),
  scopeId: optional(scopeId),
  productId: optional(fleetItemId),
  groupId: optional(fleetItemId),
  deviceId: optional(deviceId),
});
export type ClaimWizardState = Infer<typeof claimState>;

export const claimContract = defineContract({
  viewType: CLAIM_WIZARD_VIEW_TYPE,
  toWebview: { render: { view: claimView } },
  toHost: {
    selectScope: { scopeId },
    /** Null: the catalog only, no product. */
    selectProduct: { productId: nullable(fleetItemId) },
    selectGroup: { groupId: fleetItemId },
    selectBoard: { boardKey: id },
    next: {},
    back: {},
    /** The tenant's or catalog's name as the user typed it (checked by the host; nothing is sent unless it matches). */
    confirm: { typedName: string({ max: 300 }) },
    refresh: {},
    signIn: {},
    nextStep: { action: oneOf(NEXT_STEP_ACTIONS) },
  },
  state: claimState,
});
