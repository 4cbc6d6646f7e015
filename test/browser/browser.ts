/**
 * What the browser tests share: Debian's chromium launched headless with this machine's flags (a
 * fresh profile each time: playwright's `launch` makes a temporary user-data-dir), a dashboard
 * build that matches the sources, and screenshots kept under test/artifacts/ (gitignored).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { ROOT } from "../platform/harness.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(ROOT, "test", "artifacts");

/** Launches chromium, or fails saying how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A screenshot in test/artifacts/<name>.png. */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** The platform serves web/dist as it is; rebuild it when a source is newer, so we test the code. */
export function ensureFreshBuild(): void {
  const index = join(ROOT, "web", "dist", "index.html");
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = readdirSync(join(ROOT, "web"), { recursive: true, encoding: "utf8" })
    .filter((f) => !f.startsWith("dist"))
    .map((f) => statSync(join(ROOT, "web", f)).mtimeMs);
  // The stylesheet the dashboard shares with the approval pages lives with the pages.
  sources.push(statSync(join(ROOT, "functions", "api", "pages", "theme.ts")).mtimeMs);
  if (Math.max(...sources) <= built) return;
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build-web.mjs")], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`npm run build:web failed:\n${r.stdout}${r.stderr}`);
}
