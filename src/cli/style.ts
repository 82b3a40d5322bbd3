/**
 * Terminal colour for the text outputs: on only when the stream is a TTY and `NO_COLOR` is unset
 * (https://no-color.org); `FORCE_COLOR` turns it on for CI logs that render ANSI.
 */
import type { Severity } from '../core/index';

/** How text output decorates its parts; the plain style returns text unchanged. */
export interface Style {
  severity(severity: Severity, text: string): string;
  path(text: string): string;
  dim(text: string): string;
}

const SEVERITY_CODES: Readonly<Record<Severity, string>> = {
  error: '31',
  warning: '33',
  info: '36',
  hint: '90',
};

/** No decoration. */
export const PLAIN: Style = {
  severity: (_severity, text) => text,
  path: (text) => text,
  dim: (text) => text,
};

const ANSI: Style = {
  severity: (severity, text) => `\u001b[${SEVERITY_CODES[severity]}m${text}\u001b[39m`,
  path: (text) => `\u001b[1;4m${text}\u001b[22;24m`,
  dim: (text) => `\u001b[2m${text}\u001b[22m`,
};

/** The style for a stream, from its TTY state and the environment. */
export function styleFor(stream: { readonly isTTY?: boolean }, env = process.env): Style {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') {
    return PLAIN;
  }
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') {
    return ANSI;
  }
  return stream.isTTY === true ? ANSI : PLAIN;
}
