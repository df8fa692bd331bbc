// `edgerec report` in a real browser: builds the native binary, writes a hand-made widget event
// log (two variants of one widget, one widget without variants, partitioned like the Worker
// writes them: events/site=…/date=…/HH-<random>.ndjson), generates report.html and opens it in
// headless Chromium (playwright-core, Debian's /usr/bin/chromium). The page must make no
// request but its own file, log no console error, and draw every plot; a screenshot goes to
// test-results/report.png.
//
// Run: node --test --test-concurrency=1 www/tests/report.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../../", import.meta.url));
const artifacts = join(root, "test-results");
const edgerecBin = join(root, "target/native/edgerec");

let browser;
let dir;

before(async () => {
  execFileSync("cargo", ["build", "-q", "--profile", "native", "--features", "cli", "--bin", "edgerec"], {
    cwd: root,
    stdio: "inherit",
  });
  mkdirSync(artifacts, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "edgerec-report-"));
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * The event log: in widget `pdp_similar`, variant A shows 400 products and gets 40 clicks,
 * variant B shows 400 and gets 70; every 10th click of B is bought (price 25.00). Widget `home`
 * (no variants) shows 100 and gets 5 clicks, one carted.
 */
function writeEvents() {
  const catalog = ["id,title,price", ...Array.from({ length: 20 }, (_, i) => `p${i},Product ${i},${10 + i}`)];
  writeFileSync(join(dir, "catalog.csv"), catalog.join("\n") + "\n");
  const lines = { "2026-11-01": [], "2026-11-02": [] };
  let n = 0;
  const at = (day, s) => `${day}T10:${String(Math.floor(s / 60) % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}Z`;
  const emit = (day, s, event, product, extra = {}) =>
    lines[day].push(JSON.stringify({ timestamp: at(day, s), session_id: `s${n}`, event, product_id: product, site: "shop", ...extra }));
  const arm = (day, widget, variant, impressions, clicks, onClick) => {
    for (let i = 0; i < impressions; i++) {
      n++;
      const product = `p${i % 20}`;
      const placement = { widget, position: (i % 4) + 1, ...(variant ? { variant } : {}) };
      emit(day, 0, "impression", product, placement);
      if (i < clicks) {
        emit(day, 5, "click", product, placement);
        onClick(day, i, product);
      }
    }
  };
  arm("2026-11-01", "pdp_similar", "A", 400, 40, () => {});
  arm("2026-11-02", "pdp_similar", "B", 400, 70, (day, i, product) => {
    if (i % 10 === 0) emit(day, 30, "purchase", product, { price: "25.00" });
  });
  arm("2026-11-02", "home", null, 100, 5, (day, i, product) => {
    if (i === 0) emit(day, 20, "cart", product);
  });
  for (const [day, rows] of Object.entries(lines)) {
    const part = join(dir, "events", "site=shop", `date=${day}`);
    mkdirSync(part, { recursive: true });
    writeFileSync(join(part, "10-a1b2c3.ndjson"), rows.join("\n") + "\n");
  }
}

test("the report page draws its plots from the event log, offline and without console errors", async () => {
  writeEvents();
  const out = join(dir, "report.html");
  const stdout = execFileSync(edgerecBin, [
    "report",
    "--catalog",
    join(dir, "catalog.csv"),
    "--events",
    join(dir, "events"),
    "--out",
    out,
    "--json",
  ]).toString();
  const figures = JSON.parse(stdout);
  const arm = (w, v) => figures.arms.find((a) => a.widget === w && a.variant === v);
  assert.equal(arm("pdp_similar", "A").impressions, 400);
  assert.equal(arm("pdp_similar", "B").clicks, 70);
  assert.equal(arm("pdp_similar", "B").purchases, 7);
  assert.equal(arm("pdp_similar", "B").rpm, (7 * 25 * 1000) / 400);
  assert.equal(arm("home", "-").carts, 1);
  // 70/400 against 40/400: pooled z = 0.075 / sqrt(0.1375 * 0.8625 * 2/400) = 3.08 > 1.96.
  assert.deepEqual(
    figures.verdicts.map((v) => [v.widget, v.verdict]),
    [["pdp_similar", "B wins"]],
  );

  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  const requests = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  const url = pathToFileURL(out).href;
  await page.goto(url);
  const plots = await page.$$eval("svg.plot", (svgs) =>
    svgs.map((s) => {
      const box = s.getBoundingClientRect();
      const marks = [...s.querySelectorAll("rect.bar, path.ci, path.line, circle")];
      return {
        title: s.querySelector("title")?.textContent,
        width: box.width,
        height: box.height,
        marks: marks.length,
        drawn: marks.filter((m) => {
          const b = m.getBBox();
          return b.width > 0 || b.height > 0;
        }).length,
      };
    }),
  );
  assert.ok(plots.length >= 5, `five plots per widget and variant (got ${plots.length})`);
  for (const p of plots) {
    assert.ok(p.width > 100 && p.height > 40, `${p.title}: laid out (${p.width}x${p.height})`);
    assert.ok(p.marks >= 3 && p.drawn === p.marks, `${p.title}: one drawn bar per variant (${p.drawn}/${p.marks})`);
  }
  const verdict = await page.textContent("td.verdict");
  assert.equal(verdict, "B wins");
  await page.screenshot({ path: join(artifacts, "report.png"), fullPage: true });
  await page.close();
  assert.deepEqual(errors, [], "no console errors or page errors");
  assert.deepEqual(requests, [url], "no request but the page itself");
});
