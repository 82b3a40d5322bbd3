/** Reports the regions tree-sitter could not parse, so users know why a part was skipped. */
import type { Node } from 'web-tree-sitter';
import type { AnalysisError } from '../model';
import { rangeOf } from './ranges';

/** More syntax errors than this add noise, not information. */
const MAX_SYNTAX_ERRORS = 20;

/** Error and missing-token nodes, outermost first, descending only into subtrees with errors. */
export function syntaxErrors(root: Node): AnalysisError[] {
  const errors: AnalysisError[] = [];
  const pending: Node[] = root.hasError ? [root] : [];
  while (pending.length > 0 && errors.length < MAX_SYNTAX_ERRORS) {
    const node = pending.shift();
    if (!node) {
      break;
    }
    if (node.isError) {
      errors.push({
        message: 'Syntax error: this region was skipped',
        kind: 'syntax',
        range: rangeOf(node),
      });
    } else if (node.isMissing) {
      errors.push({
        message: `Syntax error: missing '${node.type}'`,
        kind: 'syntax',
        range: rangeOf(node),
      });
    } else {
      pending.push(...node.children.filter((child): child is Node => child?.hasError === true));
    }
  }
  return errors;
}
