import { defineConfig } from "vite";

export default defineConfig({
  // .jsx with React's automatic runtime, without a plugin (no Fast Refresh; add
  // @vitejs/plugin-react for that).
  oxc: { jsx: { runtime: "automatic" } },
  // The package loads edgerec_bg.wasm with new URL("edgerec_bg.wasm", import.meta.url); keep it
  // out of the dev server's dependency pre-bundling so that URL points at the real file.
  optimizeDeps: { exclude: ["edgerec"] },
});
