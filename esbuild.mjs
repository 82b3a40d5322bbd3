// One build script, one explicit options object per target. Type-checking is separate (`tsc -b`).
//   node esbuild.mjs               development build (sourcemaps)
//   node esbuild.mjs --production  minified, no sourcemaps
//   node esbuild.mjs --tests       also bundles the integration tests into dist/test
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const packageJson = require('./package.json');
const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');

/** Options every target shares. */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  logOverride: { 'import-is-undefined': 'error' },
  // The kernels' WebAssembly module is embedded in each bundle that uses it, so no target needs
  // file access (or a fetch from the webview) to load it.
  loader: { '.wasm': 'binary' },
};

/**
 * Node targets bundle web-tree-sitter's CommonJS build: its ES module build finds Node's `require`
 * through `import.meta.url`, which does not exist once bundled as CommonJS.
 */
const nodeTreeSitter = { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' };

/**
 * The web extension bundles the same CommonJS build: the ES module build makes a URL of the
 * runtime's file from `import.meta.url` even when it is handed the `.wasm` bytes, and that URL is
 * invalid once bundled as CommonJS, so every parse failed in the web worker extension host.
 */
const webTreeSitter = nodeTreeSitter;

/** web-tree-sitter's Emscripten glue mentions Node built-ins behind a runtime check. */
const emscriptenNodeBuiltins = ['fs', 'path', 'url', 'module'];

const targets = {
  extension: {
    ...common,
    entryPoints: ['src/extension/main-node.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    alias: nodeTreeSitter,
    external: ['vscode'],
  },
  web: {
    ...common,
    entryPoints: ['src/extension/main-web.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    alias: webTreeSitter,
    external: ['vscode', ...emscriptenNodeBuiltins],
  },
  webview: {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  inventory: {
    ...common,
    entryPoints: ['webview/inventory/main.ts'],
    outfile: 'dist/webview/inventory.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  cli: {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    alias: nodeTreeSitter,
    banner: { js: '#!/usr/bin/env node' },
    define: { NORMLENS_VERSION: JSON.stringify(packageJson.version) },
  },
  // The CLI's worker threads (`--jobs`) load this file from beside dist/cli.js.
  cliWorker: {
    ...common,
    entryPoints: ['src/node/analysis-worker.ts'],
    outfile: 'dist/cli-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    alias: nodeTreeSitter,
  },
  core: {
    ...common,
    entryPoints: ['src/core/index.ts'],
    outfile: 'dist/core.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    alias: nodeTreeSitter,
  },
};

if (withTests) {
  targets.integrationTests = {
    ...common,
    entryPoints: ['test/integration/suite/index.ts'],
    outdir: 'dist/test',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  };
}

/** Grammar and runtime `.wasm` files the parsers load at run time (see src/core/syntax). */
const wasmAssets = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  require.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm'),
  require.resolve('tree-sitter-typescript/tree-sitter-typescript.wasm'),
  require.resolve('tree-sitter-typescript/tree-sitter-tsx.wasm'),
];

async function copyAssets() {
  await mkdir('dist/wasm', { recursive: true });
  await Promise.all(
    wasmAssets.map((file) => copyFile(file, path.join('dist/wasm', path.basename(file)))),
  );
  await mkdir('dist/codicons', { recursive: true });
  for (const name of ['codicon.css', 'codicon.ttf']) {
    await copyFile(require.resolve(`@vscode/codicons/dist/${name}`), `dist/codicons/${name}`);
  }
}

const started = Date.now();
await Promise.all([
  copyAssets(),
  ...Object.values(targets).map((options) => esbuild.build(options)),
]);
console.log(`built ${Object.keys(targets).join(', ')} in ${Date.now() - started} ms`);
