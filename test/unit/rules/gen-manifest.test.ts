import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ruleSettingSchema,
  ruleTable,
  withRuleSettings,
  withRuleTable,
} from '../../../src/core/rules/manifest';
import { RULES } from '../../../src/core/index';
import { bnSmallBatch } from '../../../src/core/rules/bn-small-batch';

describe('generated manifest regions', () => {
  const root = join(__dirname, '..', '..', '..');
  const generated = [
    ['package.json', withRuleSettings],
    ['README.md', withRuleTable],
  ] as const;
  for (const [name, render] of generated) {
    it(`${name} is up to date (else run npx tsx scripts/gen-manifest.ts)`, () => {
      const current = readFileSync(join(root, name), 'utf8');
      assert.ok(current === render(current), `${name} is stale`);
    });
  }

  it('describes severity (with off) and each threshold with its default', () => {
    assert.deepEqual(ruleSettingSchema(bnSmallBatch)['properties'], {
      severity: {
        enum: ['error', 'warning', 'info', 'hint', 'off'],
        default: 'warning',
        description: 'Severity of bn-small-batch findings; off disables the rule.',
      },
      warnBelow: {
        type: 'number',
        default: 8,
        description: 'Warn when the per-device batch is below this.',
      },
      infoBelow: {
        type: 'number',
        default: 16,
        description: 'Inform when the batch is below this (and not below warnBelow).',
      },
    });
  });

  it('lists every rule once in the README table, linked to its page', () => {
    const table = ruleTable();
    for (const rule of RULES) {
      assert.equal(table.split(`[${rule.id}](docs/rules/${rule.id}.md)`).length, 2, rule.id);
    }
  });

  it('replaces only the text between the markers', () => {
    const readme = 'intro\n<!-- rules:start -->\nold\n<!-- rules:end -->\noutro\n';
    const updated = withRuleTable(readme, [bnSmallBatch]);
    assert.ok(updated.startsWith('intro\n<!-- rules:start -->\n| id |'));
    assert.ok(updated.endsWith('|\n<!-- rules:end -->\noutro\n'));
    assert.throws(() => withRuleTable('no markers', [bnSmallBatch]), /markers/);
  });

  it('every rule id is unique and has a docs page entry', () => {
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
    assert.equal(new Set(RULES.map((r) => r.catalogId)).size, RULES.length);
  });
});
