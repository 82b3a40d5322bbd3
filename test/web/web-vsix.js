// Packages the web-only variant of NormLens: the files of the real package (the allow-list in
// .vscodeignore, as `vsce ls` lists them) with the Node entry left out and "main" removed from
// package.json. An extension with a "browser" entry and no "main" can only run in a web extension
// host, so VS Code puts it in the browser's web worker even when a Node extension host is there
// (code-server's remote host): exactly what a browser-only VS Code (vscode.dev) would run.
//
//   await packageWebOnlyVsix(outFile) -> { vsix, manifest }   (build dist/ first: node esbuild.mjs)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createVSIX, listFiles, PackageManager } = require('@vscode/vsce');

const ROOT = path.resolve(__dirname, '../..');
/** The same placeholders as `npm run package`: the README's relative links need a base. */
const BASE_URL = 'https://example.invalid/normlens';

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
    const files = await listFiles({ cwd: ROOT, packageManager: PackageManager.None });
    for (const file of files.map((f) => path.normalize(f))) {
      if (file === nodeEntry || file === 'package.json') {
        continue;
      }
      fs.mkdirSync(path.join(staging, path.dirname(file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(staging, file));
    }
    // The allow-list itself, so that vsce filters the staging folder the same way.
    fs.copyFileSync(path.join(ROOT, '.vscodeignore'), path.join(staging, '.vscodeignore'));
    delete manifest.main;
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
