/**
 * `normlens check <paths…>`: the same findings as the editor, for terminals and CI.
 */
import path from 'node:path';
import {
  emptyReport,
  inputLanguageOf,
  ParserFactory,
  SourceAnalyzer,
  severityRank,
} from '../core/index';
import { analyzeFile } from '../node/analyze-file';
import { collectInputFiles } from '../node/walk';
import { createNodeWasmLoader } from '../node/wasm-loader';
import { parseCommandLine, USAGE, UsageError, type CheckCommand } from './args';
import { toJson, type FileEntry } from './json-report';
import { toText } from './text-report';

declare const NORMLENS_VERSION: string | undefined;

async function check(command: CheckCommand): Promise<number> {
  const analyzer = new SourceAnalyzer(
    new ParserFactory(createNodeWasmLoader(path.join(__dirname, 'wasm'))),
  );
  let files: string[];
  try {
    files = await collectInputFiles(command.paths);
  } catch (error) {
    console.error(`normlens: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const entries: FileEntry[] = [];
  for (const file of files) {
    const relative = path.relative(process.cwd(), file) || file;
    try {
      entries.push({ path: relative, report: await analyzeFile(analyzer, file, process.cwd()) });
    } catch (error) {
      entries.push({
        path: relative,
        report: emptyReport(inputLanguageOf(file) ?? 'python'),
        ioError: error instanceof Error ? error.message : String(error),
      });
    }
  }
  process.stdout.write(
    command.format === 'json' ? `${JSON.stringify(toJson(entries), null, 2)}\n` : toText(entries),
  );
  // A file that could not be read, or a model that is not what it claims, is an I/O-class failure.
  if (
    entries.some(
      (entry) =>
        entry.ioError !== undefined || entry.report.errors.some((e) => e.kind === 'invalid'),
    )
  ) {
    return 2;
  }
  const limit = command.failOn;
  const failing =
    limit !== 'none' &&
    entries.some(({ report }) =>
      report.findings.some((f) => severityRank(f.severity) <= severityRank(limit)),
    );
  return failing ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    if (command.command === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (command.command === 'version') {
      console.log(typeof NORMLENS_VERSION === 'string' ? NORMLENS_VERSION : 'dev');
      return 0;
    }
    return await check(command);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`normlens: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(
      `normlens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
