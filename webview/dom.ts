/**
 * Builds DOM nodes without HTML strings: every text goes in through `textContent`, so names from a
 * model or a source file can never become markup.
 */
type Attributes = Readonly<Record<string, string>>;

/** An element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: readonly (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  for (const child of children) {
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** A labelled number input. */
export function numberField(
  id: string,
  label: string,
  value: number,
  min: number,
  max: number,
  step = 'any',
): HTMLLabelElement {
  const input = el('input', {
    id,
    type: 'number',
    min: String(min),
    max: String(max),
    step,
    value: String(value),
  });
  return el('label', { for: id }, label, input);
}

/** The value of a number input, clamped to its min/max; `fallback` when not a number. */
export function readNumber(id: string, fallback: number): number {
  const input = document.getElementById(id);
  if (!(input instanceof HTMLInputElement)) {
    return fallback;
  }
  const value = Number(input.value);
  if (!Number.isFinite(value) || input.value.trim() === '') {
    return fallback;
  }
  return Math.min(Math.max(value, Number(input.min)), Number(input.max));
}
