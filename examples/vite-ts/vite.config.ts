import { defineConfig } from "vite";

export default defineConfig({
  // The package loads edgerec_bg.wasm with new URL("edgerec_bg.wasm", import.meta.url). Vite 8
  // handles that in dev and build; older versions' dependency pre-bundling could move edgerec.js
  // away from the wasm file, and excluding the package kept the URL right.
  optimizeDeps: { exclude: ["edgerec"] },
});
