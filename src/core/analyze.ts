/**
 * Source analysis: parse, extract normalization sites and evidence, run the rules. One analyzer per
 * host process; it keeps one parser per grammar (parsing is synchronous and parsers are reusable).
 */
import type { Parser } from 'web-tree-sitter';
import type { FileReport, InputLanguage, NormSite } from './model';
import { extractPython, type PythonFileOptions } from './python/index';
import { runRules, type RuleConfig } from './rules/engine';
import { applySuppressions } from './rules/suppression';
import type { ParserFactory } from './syntax/parsers';
import { LineIndex } from './text/line-index';

/** Options of one analysis run. */
export interface AnalyzeOptions {
  readonly rules?: RuleConfig;
  /** The file's module name, so relative imports can be followed (hosts with file access set it). */
  readonly python?: PythonFileOptions;
}

/** Source languages NormLens analyses. */
export type SourceLanguage = Extract<InputLanguage, 'python'>;

/** The source language of a file path, by extension. */
export function sourceLanguageOf(path: string): SourceLanguage | undefined {
  return /\.pyi?$/i.test(path) ? 'python' : undefined;
}

/** Parses and analyses source texts. */
export class SourceAnalyzer {
  private pythonParser: Promise<Parser> | undefined;

  constructor(private readonly parsers: ParserFactory) {}

  /** The report for one Python text. Never throws for any text. */
  async analyzePython(text: string, options: AnalyzeOptions = {}): Promise<FileReport> {
    this.pythonParser ??= this.parsers.createParser('python');
    const parser = await this.pythonParser;
    const tree = parser.parse(text);
    if (!tree) {
      return {
        language: 'python',
        sites: [],
        findings: [],
        context: { batchSizes: [] },
        errors: [{ message: 'the parser returned no tree', kind: 'internal' }],
      };
    }
    try {
      const extraction = extractPython(tree, text, options.python);
      const lines = new LineIndex(text);
      const sites = extraction.sites.map((site) => withCallee(site, lines));
      const ruled = runRules(sites, extraction.context, options.rules);
      return {
        language: 'python',
        sites,
        findings: applySuppressions(text, ruled.findings, 'python'),
        context: extraction.context,
        errors: [...extraction.errors, ...ruled.errors],
      };
    } finally {
      tree.delete();
    }
  }
}

/** The site with `callee` filled from its name range, so fixes can keep the user's spelling. */
function withCallee(site: NormSite, lines: LineIndex): NormSite {
  if (site.callee !== undefined || !site.nameRange) {
    return site;
  }
  return { ...site, callee: lines.slice(site.nameRange) };
}
