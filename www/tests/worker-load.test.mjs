// A small version of www/bench/worker-load.mjs (the benchmark runs 10,000 concurrent requests):
// 1,500 concurrent mixed requests on the worker in workerd over loopback, none a 5xx or a network
// error, and every valid one a 200. Prints the percentiles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "../bench/worker-load.mjs";

test("1,500 concurrent requests: only 2xx and 4xx, no network error", async () => {
  const r = await load({ requests: 1500, concurrency: 1500, seconds: 60 });
  console.log(`worker-load smoke: ${JSON.stringify(r)}`);
  assert.equal(r.requests, 1500, "every request answered within the time bound");
  for (const s of Object.keys(r.statuses)) assert.match(s, /^(200|400|404)$/, `status ${s} (${r.statuses[s]})`);
  assert.equal(r.statuses["200"], 1500 - 150 - 150, "every valid request answered with its list");
});
