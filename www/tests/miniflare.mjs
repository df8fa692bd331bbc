// The edge worker in Miniflare (workerd), as the tests and the benchmark run it: the worker's
// ES modules and the package's .wasm from the repository, plus `extra` options (bindings,
// KV namespaces, R2 buckets).
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const root = fileURLToPath(new URL("../../", import.meta.url));

export function workerInMiniflare(extra = {}) {
  return new Miniflare({
    modules: true,
    scriptPath: root + "www/worker/index.js",
    modulesRoot: root,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    ...extra,
  });
}
