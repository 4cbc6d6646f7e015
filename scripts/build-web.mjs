#!/usr/bin/env node
// Builds the dashboard (web/) with Vite into web/dist, then prints the gzipped size of its
// JavaScript: what the first page load needs (index.html's entry and its static imports) and the
// total of every .js file, against the 200 KB budget.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const BUDGET = 200 * 1024;
const webDir = fileURLToPath(new URL("../web/", import.meta.url));
const dist = join(webDir, "dist");

await build({ configFile: join(webDir, "vite.config.ts"), logLevel: "warn" });

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const js = files(dist).filter((file) => file.endsWith(".js"));

// The initial load: scripts referenced by index.html plus their modulepreloads.
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = new Set(
  [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => join(dist, m[1])),
);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let total = 0;
let initialTotal = 0;
console.log("web/dist JavaScript (gzip -9):");
for (const file of js.sort()) {
  const size = gz(file);
  total += size;
  if (initial.has(file)) initialTotal += size;
  console.log(
    `  ${relative(dist, file).padEnd(40)} ${kb(size).padStart(10)}${initial.has(file) ? "  (initial)" : "  (lazy)"}`,
  );
}
console.log(
  `JavaScript gzipped: initial ${kb(initialTotal)}, total ${kb(total)} (budget ${kb(BUDGET)})`,
);
if (total > BUDGET) {
  console.error(`build:web: JavaScript is ${kb(total)} gzipped, over the ${kb(BUDGET)} budget`);
  process.exit(1);
}
