/**
 * Decides from a call's text alone which examinations it needs, so that the many calls of a file
 * that can be neither a site nor evidence (`torch.cat(…)`, `len(…)`, `self.conv(x)`) cost no walks of
 * the syntax tree. Reading a node's children crosses into WebAssembly each time, while the
 * callee's dotted name can be read straight from the text at the call's start.
 */
import type { Node } from 'web-tree-sitter';
import { isDataLoader } from './batch-size';
import { lookupBuilder } from './builders';
import { boundNames } from './lexical-scan';
import { mayBeEvidence } from './evidence';
import type { ImportTable } from './imports';
import { qualify } from './imports';
import { lookupSignature } from './signatures';
import { NORM_LIKE_NAME } from './sites';

/** Which examinations a call needs. */
export interface CallNeeds {
  /** It may construct or apply a norm, directly or through a reference or builder. */
  readonly site: boolean;
  /** It may be precision, mode or batch-size evidence. */
  readonly evidence: boolean;
  /** It may be a DataLoader. */
  readonly loader: boolean;
}

const EVERYTHING: CallNeeds = { site: true, evidence: true, loader: true };

/**
 * A dotted callee followed by its argument list on the same line. Anything else (a subscript, a
 * call, a parenthesised or line-continued callee) is examined in full.
 */
const DOTTED_CALLEE = /[A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*(?=[ \t]*\()/y;

/** A file names a half-precision dtype, so a `dtype=` argument may be evidence. */
export const LOW_PRECISION_WORD = /float16|\bhalf\b/;
const DTYPE_KEYWORD = /\bdtype[ \t]*=(?!=)/g;

/** Triage for the calls of one file. */
export class CallTriage {
  /** The names the file binds ({@link boundNames}); an editor may pass those of the last run. */
  readonly bound: ReadonlySet<string>;
  /** Ids of the calls that pass a `dtype=` keyword, when the file names a half-precision dtype. */
  private readonly dtypeCalls = new Set<number>();
  /** What a callee needs, by the callee as written: files call the same few callees often. */
  private readonly byCallee = new Map<string, CallNeeds>();

  constructor(
    private readonly text: string,
    private readonly imports: ImportTable,
    root: Node,
    bound: ReadonlySet<string> = boundNames(text),
  ) {
    this.bound = bound;
    if (LOW_PRECISION_WORD.test(text)) {
      for (const match of text.matchAll(DTYPE_KEYWORD)) {
        // `dtype` → keyword_argument → argument_list → call.
        const call = root.descendantForIndex(match.index)?.parent?.parent?.parent;
        if (call?.type === 'call') {
          this.dtypeCalls.add(call.id);
        }
      }
    }
  }

  /**
   * What `call` needs. `nested` says the next call in document order starts where this one does:
   * then this call's callee is itself a call (`partial(…)(x)`, `a.b(x).c(y)`), which the text alone
   * cannot name.
   */
  needs(call: Node, nested: boolean): CallNeeds {
    if (nested) {
      return EVERYTHING;
    }
    DOTTED_CALLEE.lastIndex = call.startIndex;
    const written = DOTTED_CALLEE.exec(this.text)?.[0];
    if (written === undefined) {
      return EVERYTHING;
    }
    let needs = this.byCallee.get(written);
    if (!needs) {
      needs = this.calleeNeeds(written);
      this.byCallee.set(written, needs);
    }
    return needs.evidence || !this.dtypeCalls.has(call.id) ? needs : { ...needs, evidence: true };
  }

  /** What a call of the dotted callee `written` needs, unless it passes a low-precision dtype. */
  private calleeNeeds(written: string): CallNeeds {
    const parts = written.split('.').map((part) => part.trim());
    const qualified = qualify(parts, this.imports);
    const method = parts.length > 1 ? parts[parts.length - 1] : undefined;
    return {
      site: qualified
        ? lookupSignature(qualified) !== undefined || lookupBuilder(qualified) !== undefined
        : this.mayBeReference(parts),
      evidence: mayBeEvidence(qualified, method),
      loader: qualified !== undefined && isDataLoader(qualified),
    };
  }

  /**
   * Only a bare name or `self.x` can be a reference; it resolves only through a binding, and an
   * unresolved one is only listed when it reads like a norm.
   */
  private mayBeReference(parts: readonly string[]): boolean {
    const [head, attribute, ...rest] = parts;
    const name =
      parts.length === 1 ? head : head === 'self' && rest.length === 0 ? attribute : undefined;
    return name !== undefined && (this.bound.has(name) || NORM_LIKE_NAME.test(parts.join('.')));
  }
}
