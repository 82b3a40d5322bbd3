import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../../../src/core/index';

const DOCS = path.join(__dirname, '../../../docs/rules');
const SECTIONS = [
  '## What it finds',
  '## Why it matters',
  '## Fires',
  '## Does not fire',
  '## How to fix',
  '## How to silence',
];

describe('rule documentation', () => {
  for (const rule of RULES) {
    it(`docs/rules/${rule.id}.md has every section`, () => {
      const file = path.join(DOCS, `${rule.id}.md`);
      assert.ok(existsSync(file), `${file} is missing`);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.startsWith(`# ${rule.id} (${rule.catalogId})`), 'title line');
      for (const section of SECTIONS) {
        assert.ok(text.includes(section), `lacks "${section}"`);
      }
      assert.ok(text.includes(`"${rule.id}": { "severity": "off" }`), 'settings example');
    });
  }
});
