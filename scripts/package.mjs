#!/usr/bin/env node
// Finishes the npm package that wasm-pack wrote into pkg/ (scripts/build-pkg.sh runs this right
// after wasm-pack; running it again changes nothing):
//
// - adds the <edgerec-widget> web component as widget.js, made from www/public/edgerec-widget.js
//   (the one source; the demo site serves that file as it is) with its import of the engine,
//   "./pkg/edgerec.js", rewritten to "./edgerec.js", the engine's path next to it in the package;
// - writes widget.d.ts: the element class, its events, the exported helpers, and
//   HTMLElementTagNameMap["edgerec-widget"];
// - makes edgerec.d.ts type-check without `lib: ["esnext"]`: wasm-bindgen declares
//   `[Symbol.dispose]()` on the classes, which TypeScript's ES2022 lib does not know, so
//   disposable.d.ts declares `SymbolConstructor.dispose` (the same declaration as TypeScript's
//   esnext.disposable lib and @types/node, so it merges with them) and edgerec.d.ts references it;
// - writes package.json's `exports` ("." and "./widget", each with `types`; "./edgerec_bg.wasm"
//   for Node and Workers), `files`, and `sideEffects` (widget.js registers the element, so
//   bundlers must keep `import "edgerec/widget"`).
//
// Usage: node scripts/package.mjs [pkg dir, default pkg/]

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const widgetSource = join(root, "www/public/edgerec-widget.js");

/** The engine's specifier in the widget source (relative to www/public/) and in the package. */
const SOURCE_SPECIFIER = "./pkg/edgerec.js";
const PACKAGE_SPECIFIER = "./edgerec.js";

/** The files the package publishes, besides package.json, README.md and LICENSE. */
export const PACKAGE_FILES = [
  "edgerec_bg.wasm",
  "edgerec.js",
  "edgerec.d.ts",
  "disposable.d.ts",
  "widget.js",
  "widget.d.ts",
];

const DISPOSABLE_DTS = `// Symbol.dispose, which edgerec.d.ts uses (\`[Symbol.dispose](): void\` on Recommender and
// Session), for TypeScript projects whose \`lib\` stops before ESNext (for example
// ["ES2022", "DOM"]). The same declaration as TypeScript's esnext.disposable lib, so the two
// merge. At run time the method is only defined where Symbol.dispose exists.
interface SymbolConstructor {
    readonly dispose: unique symbol;
}
`;

const DISPOSABLE_REFERENCE = '/// <reference path="./disposable.d.ts" />\n';

const WIDGET_DTS = `/* The <edgerec-widget> web component: \`import "edgerec/widget"\` registers the element.
 * Attributes, events and styling: docs/storefront.md; the engine's types: edgerec.d.ts. */

import type { Recommender, RecommendedItem, Session } from "./edgerec.js";

/** The element's \`state\` attribute. */
export type EdgerecWidgetState = "loading" | "ready" | "empty" | "error";

/** \`detail\` of \`edgerec-render\`, fired after every render. */
export interface EdgerecRenderDetail {
    widget: string;
    product: string | null;
    /** Empty when nothing shows. */
    items: RecommendedItem[];
}

/** \`detail\` of \`edgerec-select\`, fired when a recommendation link is clicked. */
export interface EdgerecSelectDetail {
    id: string;
    widget: string;
    /** 0-based position in the list. */
    position: number;
    reason: RecommendedItem["reason"] | undefined;
    step: number | undefined;
    url: string | null;
}

/** \`detail\` of \`edgerec-add-to-cart\` (cancelable: \`preventDefault()\` to use your own cart). */
export interface EdgerecAddToCartDetail {
    id: string;
    widget: string;
}

/** The events an \`<edgerec-widget>\` fires; all bubble and are composed. */
export interface EdgerecWidgetEventMap {
    "edgerec-render": CustomEvent<EdgerecRenderDetail>;
    "edgerec-select": CustomEvent<EdgerecSelectDetail>;
    "edgerec-add-to-cart": CustomEvent<EdgerecAddToCartDetail>;
}

/** \`<edgerec-widget widget="upsell" product="P00001" limit="8">\`: recommendations computed in the browser. */
export class EdgerecWidget extends HTMLElement {
    static observedAttributes: string[];
    /** The items last rendered. */
    readonly items: RecommendedItem[];
    /** Re-renders now. */
    refresh(): void;
    connectedCallback(): void;
    disconnectedCallback(): void;
    attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void;
    addEventListener<K extends keyof EdgerecWidgetEventMap>(
        type: K,
        listener: (this: EdgerecWidget, event: EdgerecWidgetEventMap[K]) => unknown,
        options?: boolean | AddEventListenerOptions,
    ): void;
    addEventListener<K extends keyof HTMLElementEventMap>(
        type: K,
        listener: (this: EdgerecWidget, event: HTMLElementEventMap[K]) => unknown,
        options?: boolean | AddEventListenerOptions,
    ): void;
    addEventListener(
        type: string,
        listener: EventListenerOrEventListenerObject,
        options?: boolean | AddEventListenerOptions,
    ): void;
    removeEventListener<K extends keyof EdgerecWidgetEventMap>(
        type: K,
        listener: (this: EdgerecWidget, event: EdgerecWidgetEventMap[K]) => unknown,
        options?: boolean | EventListenerOptions,
    ): void;
    removeEventListener<K extends keyof HTMLElementEventMap>(
        type: K,
        listener: (this: EdgerecWidget, event: HTMLElementEventMap[K]) => unknown,
        options?: boolean | EventListenerOptions,
    ): void;
    removeEventListener(
        type: string,
        listener: EventListenerOrEventListenerObject,
        options?: boolean | EventListenerOptions,
    ): void;
}

/** "/data/model.snap" */
export const DEFAULT_SNAPSHOT: string;
/** "edgerec:session" */
export const DEFAULT_SESSION_KEY: string;
/** Cards say "Only N left" at or below this tracked stock. */
export const LOW_STOCK: number;

/** The initialised engine module, shared by every widget on the page. */
export function loadPackage(): Promise<typeof import("./edgerec.js")>;
/** The page's Recommender for a snapshot URL (relative URLs resolve against the page). */
export function getRecommender(snapshot?: string): Promise<Recommender>;
/** The page's Session for a localStorage key, shared with the widgets. */
export function getSession(key?: string): Promise<Session>;
/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string;
/** A catalog URL safe for href/src: relative or http(s); anything else becomes "#". */
export function safeUrl(url: string | null | undefined): string;
/** A price in the store's currency ("$84.99"), or "" when there is none. */
export function formatPrice(value: number | null | undefined, currency?: string): string;
/** Whether the title names the brand already. */
export function brandInTitle(product: { brand?: string | null; title: string }): boolean;
/** "In stock" / "Only 3 left" / "Out of stock" and a level for styling. */
export function stockState(inStock: boolean, stock: number | null | undefined): { level: "in" | "low" | "out"; text: string };

declare global {
    interface HTMLElementTagNameMap {
        "edgerec-widget": EdgerecWidget;
    }
    interface GlobalEventHandlersEventMap extends EdgerecWidgetEventMap {}
}
`;

function read(file, hint) {
  if (!existsSync(file)) throw new Error(`${relative(root, file) || file} is missing (${hint})`);
  return readFileSync(file, "utf8");
}

/** widget.js: the widget source with the engine's specifier rewritten (exactly once). */
export function packageWidget(source, file = "www/public/edgerec-widget.js") {
  const quoted = new RegExp(`(["'])${SOURCE_SPECIFIER.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\1`, "g");
  const found = source.match(quoted) ?? [];
  if (found.length !== 1) {
    throw new Error(
      `${file} must import the engine exactly once as "${SOURCE_SPECIFIER}" (found ${found.length}); ` +
        `widget.js rewrites that specifier to "${PACKAGE_SPECIFIER}"`,
    );
  }
  const header = `// Made by scripts/package.mjs from ${file}: edit that file, not this one.\n`;
  return header + source.replace(quoted, `"${PACKAGE_SPECIFIER}"`);
}

/** edgerec.d.ts with the reference to disposable.d.ts when it needs one. */
export function referenceDisposable(dts) {
  if (!dts.includes("Symbol.dispose") || dts.includes(DISPOSABLE_REFERENCE.trim())) return dts;
  return DISPOSABLE_REFERENCE + dts;
}

/** package.json with exports, files and sideEffects for the engine and the widget. */
export function finishManifest(manifest) {
  const out = { ...manifest };
  out.main = "edgerec.js";
  out.types = "edgerec.d.ts";
  out.exports = {
    ".": { types: "./edgerec.d.ts", default: "./edgerec.js" },
    "./widget": { types: "./widget.d.ts", default: "./widget.js" },
    "./edgerec_bg.wasm": "./edgerec_bg.wasm",
    "./package.json": "./package.json",
  };
  out.files = PACKAGE_FILES;
  const effects = Array.isArray(manifest.sideEffects) ? manifest.sideEffects : [];
  out.sideEffects = [...new Set([...effects, "./widget.js"])];
  return out;
}

/** Finishes the package in `dir` (see the top of this file). */
export function finishPackage(dir) {
  const manifestFile = join(dir, "package.json");
  const hint = "run wasm-pack first: ./scripts/build-pkg.sh";
  const text = read(manifestFile, hint);
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new Error(`${relative(root, manifestFile)}: not valid JSON: ${e.message}`);
  }
  for (const file of ["edgerec.js", "edgerec_bg.wasm"]) read(join(dir, file), hint);
  const dtsFile = join(dir, "edgerec.d.ts");
  const widget = read(widgetSource, "the web component's source");
  const widgetJs = packageWidget(widget, relative(root, widgetSource));
  writeFileSync(dtsFile, referenceDisposable(read(dtsFile, hint)));
  writeFileSync(join(dir, "disposable.d.ts"), DISPOSABLE_DTS);
  writeFileSync(join(dir, "widget.js"), widgetJs);
  writeFileSync(join(dir, "widget.d.ts"), WIDGET_DTS);
  writeFileSync(manifestFile, JSON.stringify(finishManifest(manifest), null, 2) + "\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(root, "pkg"));
  try {
    finishPackage(dir);
  } catch (e) {
    console.error(`package.mjs: ${e.message}`);
    process.exit(1);
  }
  console.log(`package.mjs: ${relative(root, dir) || "."}/ has widget.js, widget.d.ts, disposable.d.ts and exports`);
}
