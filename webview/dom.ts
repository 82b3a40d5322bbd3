/**
 * Builds DOM nodes without HTML strings: every text goes in through `textContent`, so names from a
 * model or a source file can never become markup.
 */
type Attributes = Readonly<Record<string, string>>;
type Child = Node | string;

/** An element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** An SVG element with attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: readonly Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** A codicon (the font is loaded by the page), hidden from screen readers. */
export function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A labelled number input. */
export function numberField(
  id: string,
  label: string,
  value: number,
  limits: { readonly min: number; readonly max: number; readonly step: number | 'any' },
  title = label,
): HTMLLabelElement {
  const input = el('input', {
    id,
    name: id,
    type: 'number',
    min: String(limits.min),
    max: String(limits.max),
    step: String(limits.step),
    value: String(value),
    title,
  });
  return el('label', { for: id }, label, input);
}

/** A labelled select with `options` as [value, label] pairs. */
export function selectField(
  id: string,
  label: string,
  value: string,
  options: readonly (readonly [string, string])[],
): HTMLLabelElement {
  const select = el(
    'select',
    { id, name: id },
    ...options.map(([optionValue, text]) => el('option', { value: optionValue }, text)),
  );
  select.value = value;
  return el('label', { for: id }, label, select);
}

/** A labelled checkbox. */
export function checkboxField(id: string, label: string, checked: boolean): HTMLLabelElement {
  const input = el('input', { id, name: id, type: 'checkbox' });
  input.checked = checked;
  return el('label', { for: id, class: 'checkbox' }, input, label);
}

/** A section with a heading, labelled by it. */
export function section(id: string, title: string, ...children: readonly Child[]): HTMLElement {
  return el(
    'section',
    { id, 'aria-labelledby': `${id}-title` },
    el('h2', { id: `${id}-title` }, title),
    ...children,
  );
}
