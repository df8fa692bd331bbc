import { defineConfig } from "vite";

export default defineConfig({
  // The package loads edgerec_bg.wasm with new URL("edgerec_bg.wasm", import.meta.url); keep it
  // out of the dev server's dependency pre-bundling so that URL points at the real file.
  optimizeDeps: { exclude: ["edgerec"] },
});
