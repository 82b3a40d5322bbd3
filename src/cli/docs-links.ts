/**
 * Where each rule's documentation page lives, for `normlens rules` and SARIF `helpUri`.
 */

/** The repository's browsable `docs/rules/` folder (the same base the packaged README uses). */
export const RULE_DOCS_BASE = 'https://example.invalid/normlens/blob/main/docs/rules/';

/** The URL of `docs/rules/<id>.md`. */
export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}${encodeURIComponent(id)}.md`;
}
