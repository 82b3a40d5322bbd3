/**
 * A tree-sitter parser that survives its WebAssembly failing on one input. A grammar's external
 * scanner can write past its buffers on hostile text (tree-sitter-python 0.25 overruns its
 * 1,024-byte state buffer by one byte when more than ~510 indentation levels meet an open string),
 * and the parse then traps ("memory access out of bounds"). The trapped parser's own memory is
 * damaged, so it is never used or freed again; parsing goes on with a fresh one.
 */
import type {
  Language,
  LogCallback,
  ParseCallback,
  ParseOptions,
  Range,
  Tree,
} from 'web-tree-sitter';
import { Parser } from 'web-tree-sitter';

/** A parse that failed inside tree-sitter; the file is skipped, later files parse normally. */
export class ParserFailure extends Error {
  override readonly name = 'ParserFailure';
}

/** After this many failures in one process the runtime is not trusted with more input. */
export const MAX_PARSER_FAILURES = 8;

/**
 * web-tree-sitter 0.27 creates one WebAssembly instance per process (`Parser.init` memoizes it and
 * offers no way to drop it), so every parser and grammar shares the damage of a failure. This is
 * that instance's record, kept once per process for the same reason.
 */
const runtime: { failures: number; broken: string | undefined } = {
  failures: 0,
  broken: undefined,
};

/**
 * Parsers whose parse trapped. They stay referenced for the life of the process: dropping them
 * would let web-tree-sitter's FinalizationRegistry free their damaged memory later, and a trap
 * there is thrown where nothing can catch it and ends the process.
 */
const retired: Parser[] = [];

/** Parses without errors in every grammar NormLens loads (Python, JavaScript, TypeScript, TSX). */
const PROBE = 'x = 1;\n';

/** How many parses have failed in this process, and why the runtime is refused, if it is. */
export function parserRuntimeHealth(): { readonly failures: number; readonly broken?: string } {
  return runtime.broken === undefined
    ? { failures: runtime.failures }
    : { failures: runtime.failures, broken: runtime.broken };
}

/**
 * A {@link Parser} for one language that replaces its WebAssembly parser when a parse fails and
 * reports the failure as a {@link ParserFailure}. Used wherever a `Parser` is expected.
 */
export class ResilientParser implements Parser {
  private current: Parser;
  private logger: LogCallback | null = null;

  constructor(private grammar: Language) {
    this.current = freshParser(grammar);
  }

  get language(): Language | null {
    return this.current.language;
  }

  set language(language: Language | null) {
    this.setLanguage(language);
  }

  /**
   * Like {@link Parser.parse}; throws a {@link ParserFailure} instead of WebAssembly's error when
   * tree-sitter fails, and refuses every parse once the runtime is no longer trusted.
   */
  parse(input: string | ParseCallback, oldTree?: Tree | null, options?: ParseOptions): Tree | null {
    if (runtime.broken !== undefined) {
      throw new ParserFailure(runtime.broken);
    }
    try {
      return this.current.parse(input, oldTree, options);
    } catch (error) {
      throw this.replaceAfter(error);
    }
  }

  delete(): void {
    // Freeing goes through the runtime, which may be the damaged part.
    if (runtime.broken === undefined) {
      this.current.delete();
    } else {
      retired.push(this.current);
    }
  }

  setLanguage(language: Language | null): this {
    this.current.setLanguage(language);
    if (language) {
      this.grammar = language;
    }
    return this;
  }

  reset(): void {
    this.current.reset();
  }

  getIncludedRanges(): Range[] {
    return this.current.getIncludedRanges();
  }

  setLogger(callback: LogCallback | boolean | null): this {
    this.current.setLogger(callback);
    this.logger = this.current.getLogger();
    return this;
  }

  getLogger(): LogCallback | null {
    return this.current.getLogger();
  }

  /** Retires the failed parser, starts a checked fresh one, and returns the error to report. */
  private replaceAfter(error: unknown): ParserFailure {
    retired.push(this.current);
    runtime.failures++;
    const reason = error instanceof Error ? error.message : String(error);
    try {
      const next = freshParser(this.grammar);
      next.setLogger(this.logger);
      probe(next);
      this.current = next;
    } catch (probeError) {
      const why = probeError instanceof Error ? probeError.message : String(probeError);
      runtime.broken = `source analysis is off until the window is reloaded: the parser's runtime failed (${reason}) and did not recover (${why})`;
    }
    if (runtime.failures >= MAX_PARSER_FAILURES) {
      runtime.broken ??= `source analysis is off until the window is reloaded: the parser failed on ${runtime.failures} files`;
    }
    return new ParserFailure(`the parser failed on this file: ${reason}`);
  }
}

function freshParser(language: Language): Parser {
  return new Parser().setLanguage(language);
}

/** Throws unless `parser` parses {@link PROBE} cleanly, i.e. the shared runtime still works. */
function probe(parser: Parser): void {
  const tree = parser.parse(PROBE);
  if (!tree) {
    throw new Error('no tree for a one-line file');
  }
  try {
    if (tree.rootNode.hasError || tree.rootNode.endIndex !== PROBE.length) {
      throw new Error(`a one-line file parsed as ${tree.rootNode.toString()}`);
    }
  } finally {
    tree.delete();
  }
}
