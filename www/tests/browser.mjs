// What the Chromium tests of the storefront share (e2e.test.mjs, personal.test.mjs): the demo
// catalogue's CSV reader, Debian's Chromium through playwright-core, a page that records console
// and page errors, and waiting for the app and its widgets to render.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** Throws, naming the script that makes each, when a file of `[path, script]` under `root` is
 * missing (the built package and the demo store). */
export function requireFiles(root, files, who) {
  const missing = files.filter(([file]) => !existsSync(join(root, file)));
  if (missing.length) {
    throw new Error(`${who} need files that are missing:\n` + missing.map(([f, script]) => `  ${f} (run ${script})`).join("\n"));
  }
}

/** Runs `edgerec config --check` (the binary `root`/target/native/edgerec) on `toml`; returns
 * its output and throws, with the error on `stderr`, when the configuration is refused. */
export function checkConfig(root, toml) {
  const dir = mkdtempSync(join(tmpdir(), "edgerec-config-"));
  try {
    const file = join(dir, "edgerec.toml");
    writeFileSync(file, toml);
    return execFileSync(join(root, "target/native/edgerec"), ["config", "--check", file], { encoding: "utf8", stdio: "pipe" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 4180 CSV (quoted fields, doubled quotes) to an array of objects keyed by the header. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += c;
  }
  if (field !== "" || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== "");
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

/** Debian's Chromium, headless (scripts/setup.sh installs it). */
export function launchChromium() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * A fresh browser context (its own localStorage) and page that records console errors, page
 * errors and warnings. `done()` closes it and asserts there were no errors.
 */
export async function openPage(browser, { allowErrors = [] } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const errors = [];
  const warnings = [];
  const watch = (page) => {
    page.on("console", (m) => {
      if (m.type() === "error" && !allowErrors.some((re) => re.test(m.text()))) {
        errors.push(`console.error on ${page.url()}: ${m.text()}`);
      }
      if (m.type() === "warning") warnings.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(`page error on ${page.url()}: ${e.message}`));
  };
  context.on("page", watch);
  const page = await context.newPage();
  return {
    context,
    page,
    warnings,
    errors,
    async done() {
      await context.close();
      assert.deepEqual(errors, [], "no console errors or page errors");
    },
  };
}

/** Waits until every <edgerec-widget> on the page has loaded (state ready, empty or error). */
export async function settle(page) {
  await page.waitForFunction(() => {
    if (document.querySelector("main .loading:not([hidden])")) return false;
    return [...document.querySelectorAll("edgerec-widget")].every((w) => (w.getAttribute("state") ?? "loading") !== "loading");
  });
}

/** Retries `check` (which throws while the page is not there yet) for up to `ms`. */
export async function eventually(check, ms = 5000) {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() - start > ms) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
