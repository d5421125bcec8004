// The component layer: the only module that knows which UI library draws the controls. Pages build their UI from
// these functions, so replacing @vscode/webview-ui-toolkit (archived upstream) with another library — e.g.
// @vscode-elements/elements — means rewriting this folder and nothing else. Colours come from the theme's CSS
// variables (ui/base.css); icons are codicons. Every control can be reached and used from the keyboard.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDivider,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTag,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import './base.css';
import { h, type Child } from './dom';

export { h, append, type Child } from './dom';

let registered = false;
/** Defines the custom elements once per page. */
export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing(), vsCodeRadio(), vsCodeRadioGroup(), vsCodeTag(), vsCodeTextField());
}

/** `key` names a control across re-renders, so focus stays on it (see render.ts). */
interface Keyed {
  readonly key?: string;
}

export function icon(name: string, label?: string): HTMLElement {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`not a codicon name: ${name}`);
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', role: label ? 'img' : undefined, 'aria-label': label });
}

export function button(options: Keyed & { label: string; onClick: () => void; appearance?: 'primary' | 'secondary'; icon?: string; disabled?: boolean; title?: string }): HTMLElement {
  const element = h('vscode-button', {
    appearance: options.appearance ?? 'primary',
    disabled: options.disabled,
    title: options.title,
    'data-key': options.key,
  });
  if (options.icon) element.append(h('span', { slot: 'start', class: `codicon codicon-${options.icon}`, 'aria-hidden': 'true' }));
  element.append(options.label);
  element.addEventListener('click', () => {
    if (!element.hasAttribute('disabled')) options.onClick();
  });
  return element;
}

/** A row of buttons; the primary action comes first, as in VS Code's own dialogs. */
export function actions(...buttons: Child[]): HTMLElement {
  return h('div', { class: 'actions' }, ...buttons);
}

export function textField(
  options: Keyed & {
    label: string;
    value: string;
    placeholder?: string;
    /** Id of the element that explains an error with this field (read out by screen readers). */
    describedBy?: string;
    invalid?: boolean;
    onInput: (value: string) => void;
    /** Enter in the field: the page's primary action. */
    onEnter?: (value: string) => void;
  },
): HTMLElement {
  const field = h('vscode-text-field', {
    value: options.value,
    placeholder: options.placeholder,
    'aria-describedby': options.describedBy,
    'aria-invalid': options.invalid ? 'true' : undefined,
    class: options.invalid ? 'field invalid' : 'field',
    'data-key': options.key,
    spellcheck: 'false',
    autocomplete: 'off',
  });
  field.append(options.label);
  const read = () => String((field as unknown as { value?: string }).value ?? '');
  field.addEventListener('input', () => options.onInput(read()));
  field.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter' && options.onEnter) {
      event.preventDefault();
      options.onEnter(read());
    }
  });
  return field;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  /** Shown under the label (device ID, state, why it cannot be chosen…). */
  readonly details?: readonly Child[];
  readonly disabled?: boolean;
}

/** A vertical list of choices, one selectable (arrow keys move, as in any radio group). */
export function choiceList(
  options: Keyed & { label: string; choices: readonly Choice[]; selected: string | undefined; onChange: (value: string) => void; /** Enter on the list: the page's primary action. */ onEnter?: () => void },
): HTMLElement {
  const group = h('vscode-radio-group', { orientation: 'vertical', class: 'choices', 'data-key': options.key });
  group.append(h('label', { slot: 'label' }, options.label));
  for (const choice of options.choices) {
    const radio = h(
      'vscode-radio',
      { value: choice.value, checked: choice.value === options.selected, disabled: choice.disabled, class: 'choice' },
      h('span', { class: 'choice-label' }, choice.label),
      ...(choice.details?.length ? [h('span', { class: 'choice-details' }, ...choice.details)] : []),
    );
    group.append(radio);
  }
  group.addEventListener('change', (event) => {
    const target = event.target as { value?: string; checked?: boolean } | null;
    // The group fires change for itself and for the radio that was checked; only a checked radio counts.
    const value = (group as unknown as { value?: string }).value ?? (target?.checked ? target.value : undefined);
    if (value && value !== options.selected) options.onChange(value);
  });
  group.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter' && options.onEnter) {
      event.preventDefault();
      options.onEnter();
    }
  });
  return group;
}

export function progressRing(label: string): HTMLElement {
  return h('div', { class: 'progress', role: 'status' }, h('vscode-progress-ring', { 'aria-label': label }), h('span', {}, label));
}

export function divider(): HTMLElement {
  return h('vscode-divider', { role: 'separator' });
}

export function tag(text: string): HTMLElement {
  return h('vscode-tag', {}, text);
}

export type NoticeKind = 'error' | 'warning' | 'info' | 'success';
const NOTICE_ICONS: Record<NoticeKind, string> = { error: 'error', warning: 'warning', info: 'info', success: 'pass-filled' };

/** A boxed message. Errors and warnings are announced (role alert); `id` lets a field point at it. */
export function notice(kind: NoticeKind, title: string, body?: Child | readonly Child[], id?: string): HTMLElement {
  const bodyChildren = Array.isArray(body) ? body : [body as Child];
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' || kind === 'warning' ? 'alert' : 'status', id },
    icon(NOTICE_ICONS[kind]),
    h('div', { class: 'notice-text' }, h('strong', {}, title), ...bodyChildren.filter(Boolean).map((c) => (typeof c === 'string' ? h('p', {}, c) : c))),
  );
}

/** Label/value pairs (account, tenant, device facts). */
export function facts(rows: readonly (readonly [string, Child])[]): HTMLElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Monospace text that wraps anywhere (device IDs are 128 hex digits). */
export function code(text: string): HTMLElement {
  return h('code', { class: 'wrap-anywhere' }, text);
}

/** The wizard's steps, the current one marked for sight and for screen readers. */
export function stepper(steps: readonly string[], current: number): HTMLElement {
  return h(
    'ol',
    { class: 'stepper', 'aria-label': 'Steps' },
    ...steps.map((label, i) =>
      h('li', { class: i < current ? 'done' : i === current ? 'current' : 'todo', 'aria-current': i === current ? 'step' : undefined }, h('span', { class: 'step-number', 'aria-hidden': 'true' }, i < current ? '✓' : String(i + 1)), label),
    ),
  );
}

/** A page section with a heading that takes focus when the step changes (so screen readers announce it). */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'step' }, h('h2', { tabindex: '-1', 'data-autofocus': 'true' }, title), ...children);
}

export function paragraph(...children: Child[]): HTMLElement {
  return h('p', {}, ...children);
}
