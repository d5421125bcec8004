// The connection doctor's panel (checks: docs/board-link.md#what-the-connection-doctor-checks; panels:
// docs/webviews.md): the host runs the checks and sends the whole report as one view after each step; the page draws
// it and sends back the person's choices (copy the report, run again, forget a changed pin). Display data only: check
// titles, findings, ports and device IDs — never a key or a token.
import { defineContract, type StateOf, type ToHostOf, type ToWebviewOf } from '../views/shared/contract';
import { array, boolean, nullable, object, oneOf, optional, string, type Infer } from '../views/shared/schema';

export const CONNECTION_DOCTOR_VIEW_TYPE = 'sphereExplorer.connectionDoctor';

export const DOCTOR_STEP_IDS = ['port', 'line', 'ping', 'tls', 'rest', 'osRoute'] as const;
export const DOCTOR_STEP_STATES = ['pending', 'running', 'pass', 'warn', 'fail', 'skipped'] as const;

const text = string({ max: 2000 });

const step = object({
  id: oneOf(DOCTOR_STEP_IDS),
  title: text,
  state: oneOf(DOCTOR_STEP_STATES),
  summary: text,
  details: array(text, { max: 40 }),
  nextAction: optional(text),
  duration: optional(text),
});

export const doctorView = object({
  boardName: text,
  /** Where and how the board is reached, one line. */
  target: text,
  running: boolean(),
  steps: array(step, { max: DOCTOR_STEP_IDS.length }),
  /** The first failure (else warning) and what to do about it; null while running or when all passed. */
  finding: nullable(object({ state: oneOf(['warn', 'fail']), title: text, summary: text, nextAction: optional(text) })),
  /** The TLS check found a changed pin on a board whose pin can be forgotten. */
  canForgetPin: boolean(),
  /** What the last button did ("Report copied to the clipboard."). */
  notice: optional(text),
});

export type DoctorView = Infer<typeof doctorView>;
export type DoctorStepView = DoctorView['steps'][number];

export const doctorContract = defineContract({
  viewType: CONNECTION_DOCTOR_VIEW_TYPE,
  toWebview: { view: { view: doctorView } },
  toHost: { copyReport: {}, runAgain: {}, forgetPin: {} },
  state: doctorView,
});

export type DoctorToWebview = ToWebviewOf<typeof doctorContract>;
export type DoctorToHost = ToHostOf<typeof doctorContract>;
export type DoctorState = StateOf<typeof doctorContract>;
