// Benchmark stores: the demo store at a given size under .bench/ (generated once, seeded) and a
// snapshot rebuilt from it on every run, so it always matches the current builder's format.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const bin = `${root}target/native/edgerec`;

/** Builds the native CLI (speed profile) if needed: cargo does nothing when it is current. */
export function buildCli() {
  execFileSync("cargo", ["build", "-q", "--profile", "native", "--features", "cli", "--bin", "edgerec"], { cwd: root, stdio: "inherit" });
}

/** The directory and snapshot of a `products`-product demo store (shoppers: twice as many, at most 100,000). */
export function store(products) {
  buildCli();
  const dir = `${root}.bench/store-${products}`;
  if (!existsSync(`${dir}/events.csv`)) {
    mkdirSync(dir, { recursive: true });
    const shoppers = String(Math.min(products * 2, 100000));
    execFileSync(bin, ["demo-data", "--out", dir, "--products", String(products), "--shoppers", shoppers], { stdio: "ignore" });
  }
  execFileSync(bin, ["build", "--catalog", `${dir}/catalog.csv`, "--events", `${dir}/events.csv`, "--out", `${dir}/model.snap`, "--quiet"], { stdio: "ignore" });
  return { dir, snapshot: `${dir}/model.snap` };
}
