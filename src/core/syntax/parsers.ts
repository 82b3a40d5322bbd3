/**
 * Loads web-tree-sitter and its grammars once per process. The core never touches files: the
 * host passes a function that returns a `.wasm` file's bytes by name (from `dist/` on Node, through
 * `workspace.fs` in the web extension, from `node_modules` in tests).
 */
import { Language, Parser } from 'web-tree-sitter';
import { ResilientParser } from './resilient-parser';

/** Grammars NormLens parses. */
export type GrammarName = 'python' | 'javascript' | 'typescript' | 'tsx';

/** The `.wasm` file names the host must be able to provide. */
export const WASM_FILES = {
  runtime: 'web-tree-sitter.wasm',
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
} as const;

/** Returns the bytes of one of the {@link WASM_FILES}. */
export type WasmLoader = (fileName: string) => Promise<Uint8Array>;

/** Creates parsers for each grammar, loading each grammar at most once. */
export class ParserFactory {
  private runtime: Promise<void> | undefined;
  private readonly languages = new Map<GrammarName, Promise<Language>>();

  constructor(private readonly load: WasmLoader) {}

  /**
   * A new parser for `grammar`; the caller owns it and should `delete()` it when done. A parse that
   * fails inside tree-sitter throws a `ParserFailure` (resilient-parser.ts) and the parser stays
   * usable.
   */
  async createParser(grammar: GrammarName): Promise<Parser> {
    return new ResilientParser(await this.language(grammar));
  }

  /** The loaded grammar, for queries. */
  async language(grammar: GrammarName): Promise<Language> {
    await this.initRuntime();
    let language = this.languages.get(grammar);
    if (!language) {
      language = this.load(WASM_FILES[grammar]).then((bytes) => Language.load(bytes));
      this.languages.set(grammar, language);
    }
    return language;
  }

  private initRuntime(): Promise<void> {
    this.runtime ??= this.load(WASM_FILES.runtime).then((wasmBinary) =>
      Parser.init({ wasmBinary }),
    );
    return this.runtime;
  }
}
