/**
 * Regenerates the rule settings in package.json and the rule table in README.md from the rule
 * registry (see src/core/rules/manifest.ts).
 *
 * Usage: npx tsx scripts/gen-manifest.ts [--check]   (--check exits 1 when a file is stale)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withRuleSettings, withRuleTable } from '../src/core/rules/manifest';

const ROOT = join(__dirname, '..');

/** The generated files: their current and expected contents. */
function generatedFiles(): { path: string; current: string; expected: string }[] {
  return [
    { path: join(ROOT, 'package.json'), render: withRuleSettings },
    { path: join(ROOT, 'README.md'), render: withRuleTable },
  ].map(({ path, render }) => {
    const current = readFileSync(path, 'utf8');
    return { path, current, expected: render(current) };
  });
}

function main(check: boolean): number {
  let stale = 0;
  for (const file of generatedFiles()) {
    if (file.current === file.expected) {
      continue;
    }
    stale++;
    if (check) {
      console.error(`${file.path} is stale: run npx tsx scripts/gen-manifest.ts`);
    } else {
      writeFileSync(file.path, file.expected);
      console.log(`updated ${file.path}`);
    }
  }
  return check && stale > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.includes('--check'));
}
