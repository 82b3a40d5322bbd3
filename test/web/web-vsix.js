// Packages the web-only variant of NormLens: the files of the real package (vsce applies the
// allow-list in .vscodeignore) without the Node entry, and a package.json without "main" and
// "extensionKind". VS Code deduces the kind ["web"] from that: such an extension can only run in a
// web extension host, so VS Code runs it in the browser's web worker even where a Node extension
// host exists (code-server's remote host): the code a browser-only VS Code (vscode.dev) would run,
// on the same files.
//
//   await packageWebOnlyVsix(outFile) -> { vsix, manifest }   (build dist/ first: node esbuild.mjs)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createVSIX } = require('@vscode/vsce');

const ROOT = path.resolve(__dirname, '../..');
/** The same placeholders as `npm run package`: the README's relative links need a base. */
const BASE_URL = 'https://example.invalid/normlens';

/**
 * The top-level files and folders the allow-list can include (`!dist/web/*.js` -> `dist`). Only
 * these are staged: letting vsce walk the repository itself means walking code-server's
 * installation under .vscode-test, which takes 10 to 30 s.
 */
function allowListRoots() {
  const lines = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  const included = lines.map((l) => l.trim()).filter((l) => l.startsWith('!'));
  const roots = included.map((l) => l.slice(1).replace(/^\//, '').split('/')[0]);
  return [...new Set(roots)].filter((root) => root !== 'package.json');
}

/** Writes the web-only .vsix to outFile; returns its path and the manifest it carries. */
async function packageWebOnlyVsix(outFile) {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const browserEntry = path.normalize(manifest.browser);
  if (!fs.existsSync(path.join(ROOT, browserEntry))) {
    throw new Error(`${manifest.browser} does not exist: build first (node esbuild.mjs)`);
  }
  const nodeEntry = path.normalize(manifest.main);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'normlens-web-vsix-'));
  try {
    for (const root of allowListRoots()) {
      fs.cpSync(path.join(ROOT, root), path.join(staging, root), {
        recursive: true,
        filter: (source) => path.relative(ROOT, source) !== nodeEntry,
      });
    }
    // The allow-list itself, so that vsce filters the staging folder the same way.
    fs.copyFileSync(path.join(ROOT, '.vscodeignore'), path.join(staging, '.vscodeignore'));
    delete manifest.main;
    // The real package asks for the workspace (Node) host, which this variant cannot run in;
    // without the key, VS Code deduces ["web"] from a "browser" entry with no "main" (vsce refuses
    // "web" as a written value).
    delete manifest.extensionKind;
    // The command-line tool is Node-only and not part of the extension package.
    delete manifest.bin;
    fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    await createVSIX({
      cwd: staging,
      packagePath: path.resolve(outFile),
      dependencies: false,
      baseContentUrl: `${BASE_URL}/blob/main`,
      baseImagesUrl: `${BASE_URL}/raw/main`,
    });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { vsix: path.resolve(outFile), manifest };
}

module.exports = { packageWebOnlyVsix };
