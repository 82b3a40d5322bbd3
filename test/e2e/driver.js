// Playwright helpers that drive NormLens in code-server's workbench the way a user does (Mode B).
// Every wait polls the page with a deadline; nothing sleeps for a fixed time.
//
//   const wb = await startWorkbench({ vsix, workspace, settings, shotsDir, shotPrefix? })
//       installs the .vsix into fresh extensions/user-data dirs, starts code-server and headless
//       Chromium, opens the workspace and waits until the explorer lists it; shotPrefix (default '')
//       is put before every screenshot's name. Returns a Workbench:
//   wb.page                                  the Playwright Page (for anything not covered below)
//   wb.server                                { port, origin, url, logFile, tmp, ... } (scripts/run-ext-tests.js)
//   await wb.waitForExplorer(fileName?)      the explorer shows a row with that name (or any row)
//   await wb.openFile(fileName)              Quick Open (Ctrl+P), click the match -> its tab is the active one
//   await wb.runCommand(title)               F1, type the palette title (e.g. "NormLens: Open Normalization Panel"), click it
//   wb.activeTab(label) -> Locator           the focused editor group's active tab, if its label contains label
//   await wb.hoverWord(word, { line?, expect?, timeout? }) -> hover text
//       moves the mouse onto `word` in the active editor (first line containing `line`, default `word`)
//       and retries until a hover containing `expect` (string or RegExp; default: any) is visible;
//       the retries cover the time the extension needs to activate.
//   await wb.readProblems({ expect?, timeout? }) -> string[]
//       focuses the Problems panel and returns its rows' text, once a row matches `expect`.
//   await wb.webviewFrame(title?) -> FrameLocator  the inner document of the webview in the editor tab
//       titled `title` (clicked to the front first), else of the focused editor group's webview (or the
//       last visible webview, e.g. a view); locate elements as usual: (await wb.webviewFrame('X')).locator('#id').
//   await wb.waitForToast(text) -> string    a notification toast containing text
//   await wb.screenshot(name) -> path        saves <shotsDir>/<shotPrefix><name>.png
//   await wb.dismiss()                       Escape twice: closes quick input, hovers and menus
//   await wb.reloadWindow()                  "Developer: Reload Window", then waits for the explorer again
//                                            (e.g. after writing wb.server.userDataDir/User/keybindings.json)
//   await wb.stop()                          closes the browser and stops code-server's process group
//
//   await runChecks(wb, checks) -> { passed, failed }
//       runs check modules ({ name, title, run: async (wb) => void }) in order against one workbench,
//       printing "ok"/"FAIL" with the time each took; a failing check gets a screenshot
//       (zz-failed-<name>) and the next check still runs.
//
// Timeouts: TIMEOUT.short (10 s) for UI reactions, TIMEOUT.long (60 s) for start-up and analysis.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { launchBrowser, launchCodeServer } = require('../../scripts/run-ext-tests');

const TIMEOUT = { short: 10000, long: 60000 };

/** Text matching for `expect` options: a substring or a regular expression. */
function matches(text, expected) {
  if (expected === undefined) {
    return true;
  }
  return expected instanceof RegExp ? expected.test(text) : text.includes(expected);
}

/**
 * Finds the screen coordinates of `word` in the first visible editor line whose text contains
 * `lineText`. Runs in the page: VS Code renders each line as spans of text with non-breaking
 * spaces, and a word may straddle spans, so the text nodes are joined and measured with a Range.
 */
function locateWordInPage({ word, lineText }) {
  const normalise = (s) => s.replace(/\u00a0/g, ' ');
  const editor = document.querySelector('.editor-group-container .monaco-editor');
  const lines = editor ? [...editor.querySelectorAll('.view-lines .view-line')] : [];
  for (const line of lines) {
    const text = normalise(line.textContent || '');
    if (!text.includes(lineText)) {
      continue;
    }
    // Prefer the occurrence inside lineText, then any occurrence on the line.
    const inside = text.indexOf(word, text.indexOf(lineText));
    const at = inside >= 0 ? inside : text.indexOf(word);
    if (at < 0) {
      continue;
    }
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let offset = 0;
    let begun = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent.length;
      if (!begun && at < offset + length) {
        range.setStart(node, at - offset);
        begun = true;
      }
      if (begun && at + word.length <= offset + length) {
        range.setEnd(node, at + word.length - offset);
        const box = range.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }
      offset += length;
    }
  }
  return null;
}

/** A running workbench; see the list at the top of this file. */
class Workbench {
  constructor(server, browser, page, shotsDir, shotPrefix = '') {
    this.server = server;
    this.browser = browser;
    this.page = page;
    this.shotsDir = shotsDir;
    this.shotPrefix = shotPrefix;
  }

  async waitForExplorer(fileName) {
    const rows = this.page.locator('.explorer-folders-view .monaco-list-row');
    const row = fileName === undefined ? rows : rows.filter({ hasText: fileName });
    await row.first().waitFor({ timeout: TIMEOUT.long });
  }

  async reloadWindow() {
    await this.runCommand('Developer: Reload Window');
    await this.page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT.long });
    await this.waitForExplorer();
  }

  async dismiss() {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Escape');
  }

  /** Opens the quick input with a key, types, waits for a matching row and accepts it. */
  async quickPick(key, text, rowText, rowTimeout = TIMEOUT.short) {
    await this.dismiss();
    await this.page.keyboard.press(key);
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: TIMEOUT.short });
    await input.fill(text);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: rowText });
    await row.first().waitFor({ timeout: rowTimeout });
    // A click rather than Enter: after a webview had focus, Enter can land outside the quick input.
    await row.first().click();
    await input.waitFor({ state: 'hidden', timeout: TIMEOUT.short });
  }

  /** The active tab of the active editor group, when its label contains label. */
  activeTab(label) {
    // With split editors every group has an active tab; only the focused group's counts.
    return this.page
      .locator('.editor-group-container.active .tabs-container .tab.active', { hasText: label })
      .first();
  }

  async openFile(fileName) {
    // The first file search after start-up can take a while (ripgrep over the remote file system).
    await this.quickPick('Control+P', fileName, fileName, TIMEOUT.long);
    await this.activeTab(fileName).waitFor({ timeout: TIMEOUT.long });
  }

  async runCommand(title) {
    await this.quickPick('F1', `>${title}`, title);
  }

  async hoverWord(word, { line = word, expect, timeout = TIMEOUT.long } = {}) {
    const hover = this.page.locator('.monaco-hover:visible');
    const deadline = Date.now() + timeout;
    let lastText = '';
    let seen = false;
    while (Date.now() < deadline) {
      const point = await this.page.evaluate(locateWordInPage, { word, lineText: line });
      if (point) {
        seen = true;
        // Leave and re-enter the word, so that each attempt asks the hover providers again.
        await this.page.mouse.move(1, 1);
        await this.page.mouse.move(point.x, point.y, { steps: 3 });
        try {
          await hover.first().waitFor({ timeout: 3000 });
          lastText = (await hover.first().innerText()).trim();
          if (matches(lastText, expect)) {
            return lastText;
          }
        } catch {
          // No hover yet: the extension may still be activating or analysing.
        }
      }
      await this.page.waitForTimeout(250); // Let the next attempt start from a settled editor.
    }
    const where = `"${word}" on the line containing "${line}"`;
    throw new Error(
      seen
        ? `no hover matching ${String(expect)} on ${where} within ${timeout} ms; last hover: "${lastText}"`
        : `${where} is not visible in the active editor (open the file first)`,
    );
  }

  async readProblems({ expect, timeout = TIMEOUT.long } = {}) {
    await this.runCommand('View: Focus Problems');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const deadline = Date.now() + timeout;
    for (;;) {
      const texts = (await rows.allInnerTexts()).map((t) => t.trim());
      if (texts.some((t) => matches(t, expect)) || (expect === undefined && texts.length > 0)) {
        return texts;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no Problems row matching ${String(expect)}; rows: ${JSON.stringify(texts)}`,
        );
      }
      await this.page.waitForTimeout(200);
    }
  }

  async webviewFrame(title) {
    if (title !== undefined) {
      // Webview iframes carry no title; bring the tab to the front so that its webview is the visible one.
      const tab = this.page.locator('.tabs-container .tab', { hasText: title }).first();
      await tab.waitFor({ timeout: TIMEOUT.long });
      await tab.click();
      await this.activeTab(title).waitFor({ timeout: TIMEOUT.short });
    }
    // Each webview is an outer iframe (code-server's webview host page) laid over its editor and
    // hidden while its tab is in the background; its #active-frame holds the extension's HTML.
    // The overlay names the editor element it covers, so the focused group's webview is exact.
    const editor = this.page
      .locator('.editor-group-container.active [id^="webview-editor-element-"]')
      .first();
    const id = await editor.getAttribute('id', { timeout: TIMEOUT.short }).catch(() => null);
    const outer = id
      ? this.page.frameLocator(`[data-parent-flow-to-element-id="${id}"] iframe.webview.ready`)
      : this.page.frameLocator('iframe.webview.ready >> visible=true').last();
    return outer.frameLocator('#active-frame');
  }

  async waitForToast(text) {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
    await toast.first().waitFor({ timeout: TIMEOUT.long });
    return (await toast.first().innerText()).trim();
  }

  async screenshot(name) {
    const file = path.join(this.shotsDir, `${this.shotPrefix}${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async stop() {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    if (!process.env.KEEP_TMP) {
      fs.rmSync(this.server.tmp, { recursive: true, force: true });
    }
  }
}

/** Starts code-server with the .vsix installed and the workspace open; see the top of this file. */
async function startWorkbench({ vsix, workspace, settings = {}, shotsDir, shotPrefix = '' }) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const server = await launchCodeServer({
    vsix: [vsix],
    workspace,
    settings: { 'editor.hover.delay': 100, ...settings },
  });
  let browser;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) =>
      fs.appendFileSync(path.join(server.tmp, 'page-errors.log'), `${error}\n`),
    );
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT.long });
    const workbench = new Workbench(server, browser, page, shotsDir, shotPrefix);
    // The explorer lists the folder once the remote file system is connected: the workbench is usable.
    await workbench.waitForExplorer();
    return workbench;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}

/** Runs check modules against one workbench; see the list at the top of this file. */
async function runChecks(workbench, checks) {
  let passed = 0;
  let failed = 0;
  for (const check of checks) {
    const started = Date.now();
    try {
      await check.run(workbench);
      passed++;
      console.log(`  ok   ${check.name}: ${check.title} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      console.log(`  FAIL ${check.name}: ${check.title} (${Date.now() - started} ms)`);
      const detail = String(error && error.stack ? error.stack : error);
      console.log(`       ${detail.split('\n').join('\n       ')}`);
      await workbench.screenshot(`zz-failed-${check.name}`).catch(() => undefined);
      await workbench.dismiss().catch(() => undefined);
    }
  }
  return { passed, failed };
}

module.exports = { TIMEOUT, Workbench, runChecks, startWorkbench };
