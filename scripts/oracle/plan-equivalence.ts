/**
 * Checks the parse planner on real code: for every Python file under the given roots, the
 * extraction from the planned regions must equal the extraction from a full parse (sites,
 * unresolved calls, and the file context when the file has sites). Usage: npx tsx scripts/oracle/plan-equivalence.ts ROOT...
 */
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { analyzePythonText, extractPython } from '../../src/core/python/index';
import { ParserFactory } from '../../src/core/syntax/parsers';
import { nodeModulesWasmLoader } from '../../test/unit/helpers/wasm';
import { pythonFiles } from './python-files';

async function main(roots: readonly string[]): Promise<void> {
  const parser = await new ParserFactory(nodeModulesWasmLoader).createParser('python');
  let files = 0;
  let differing = 0;
  for (const root of roots) {
    for (const path of pythonFiles(root)) {
      const text = readFileSync(path, 'utf8');
      const planned = analyzePythonText(parser, text);
      const tree = parser.parse(text);
      if (!tree) {
        continue;
      }
      const full = extractPython(tree, text);
      tree.delete();
      files++;
      // A file without sites has no context by design: the planner skips its evidence.
      const keys =
        full.sites.length > 0
          ? (['sites', 'unresolved', 'context'] as const)
          : (['sites', 'unresolved'] as const);
      for (const key of keys) {
        if (!isDeepStrictEqual(planned[key], full[key])) {
          differing++;
          console.log(
            `${path}: ${key} differ (planned ${JSON.stringify(planned[key]).length} chars, full ${JSON.stringify(full[key]).length})`,
          );
        }
      }
    }
  }
  console.log(`${files} files, ${differing} differences`);
  process.exitCode = differing === 0 ? 0 : 1;
}

void main(process.argv.slice(2));
