// Replaces a page's content while keeping the user's place: the control that had focus (named by data-key) gets it
// back after the re-render; when the page changed to another step, focus moves to that step's heading so keyboard
// and screen-reader users start at the top of what is new. Only while the page itself has the focus, though: an update
// arriving while the person works elsewhere (a quick pick, the editor) must not pull the focus into the page — that
// closes the quick pick under their fingers.

export function render(root: HTMLElement, content: Node, page: string): void {
  const active = deepActiveElement();
  const focusedKey = active && root.contains(active) ? active.closest('[data-key]')?.getAttribute('data-key') : undefined;
  const samePage = root.getAttribute('data-page') === page;
  root.replaceChildren(content);
  root.setAttribute('data-page', page);
  if (!document.hasFocus()) return;
  const again = focusedKey ? root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`) : null;
  if (samePage && again) {
    focusWhenDefined(again);
  } else if (!samePage) {
    const first = root.querySelector<HTMLElement>('[data-autofocus]');
    if (first) focusWhenDefined(first);
  }
}

/**
 * Custom elements take focus only once they are upgraded — which can be after the person has moved on (a page that
 * reloads when its tab is shown upgrades its toolkit elements a moment later): focus then only if the page still
 * has the focus, or the late focus closes the Command Palette they just opened.
 */
function focusWhenDefined(element: HTMLElement): void {
  const tag = element.tagName.toLowerCase();
  if (tag.includes('-') && !customElements.get(tag)) {
    void customElements.whenDefined(tag).then(() => {
      if (document.hasFocus()) element.focus();
    });
  } else {
    element.focus();
  }
}

function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  // Inside a custom element's shadow root: the host carries the data-key.
  return active ? (active.getRootNode() instanceof ShadowRoot ? (active.getRootNode() as ShadowRoot).host : active) : null;
}

/** Escape → `onEscape` (the page's "Back" or "Cancel"), unless a control inside wants Escape itself. */
export function onEscape(handler: () => void): void {
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      handler();
    }
  });
}
