#!/usr/bin/env node
// `npm start` (after `npm run build` and `npm run setup:code-server`): packages NormLens, installs the
// .vsix into .vscode-test/start, starts code-server on 127.0.0.1 ($PORT or a free port, no password)
// with the repository's examples/ folder open, and prints the URL to open in a browser. It runs until
// Ctrl-C and then stops code-server with everything it started (its whole process group).
// The user data in .vscode-test/start persists between starts; delete that folder to start afresh.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { launchCodeServer } = require('./run-ext-tests.js');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsix = path.join(root, 'build/normlens.vsix');

execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
const server = await launchCodeServer({
  vsix: [vsix],
  workspace: path.join(root, 'examples'),
  stateDir: path.join(root, '.vscode-test/start'),
  ...(process.env.PORT ? { port: Number(process.env.PORT) } : {}),
});

let stopping = false;
async function stop(exitCode) {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log('\nstopping code-server…');
  await server.stop();
  fs.rmSync(server.tmp, { recursive: true, force: true });
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
server.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`code-server exited unexpectedly (code ${code}); its log: ${server.logFile}`);
    stopping = true;
    process.exit(1);
  }
});

console.log(`
NormLens is running in VS Code (code-server) with examples/ open:

    ${server.url}

Open that URL in a browser on this machine (use an SSH tunnel for port ${server.port} from elsewhere).
Press Ctrl-C to stop.`);
