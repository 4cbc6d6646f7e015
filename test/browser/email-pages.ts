/**
 * Checks for the pages an email link opens (the confirm page, the page after deciding, "Already
 * decided", the sign-in confirm page), at a phone's width and a desktop's: no sideways scroll,
 * the dashboard's look (its top bar, from the one shared stylesheet), a link back to the
 * dashboard, times in the reader's own zone with the zone named (never a raw ISO string), and
 * sentences that start with a capital. Each page leaves a screenshot in test/artifacts/.
 */
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { shot } from "./browser.ts";
import { horizontalOverflow } from "./page-checks.ts";

/** The reader the pages are checked for: Berlin, so UTC would be visibly wrong. */
export const READER = { locale: "en-GB", timezoneId: "Europe/Berlin" } as const;

/** The dashboard's top bar colour (theme.ts `.topbar`). */
const TOPBAR = "rgb(31, 42, 55)";

/** Opens `go(page)` at each width and checks the page; returns nothing, asserts everything. */
export async function checkEmailPage(
  browser: Browser,
  name: string,
  go: (page: Page) => Promise<unknown>,
  widths: number[] = [375, 1280],
): Promise<void> {
  for (const width of widths) {
    const phone = width < 600;
    const context = await browser.newContext({
      ...READER,
      viewport: { width, height: phone ? 812 : 900 },
      ...(phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    });
    try {
      const page = await context.newPage();
      await go(page);
      const where = `${name} at ${width}px`;
      expect(await horizontalOverflow(page, width), where).toBe(0);
      const look = await page.evaluate(() => {
        const bar = document.querySelector(".topbar");
        return {
          bar: bar ? getComputedStyle(bar).backgroundColor : "",
          dashboardLink: [...document.querySelectorAll("a")].some(
            (a) => a.getAttribute("href") === "/",
          ),
          times: [...document.querySelectorAll("time")].map((t) => t.textContent ?? ""),
          text: document.querySelector("main")?.textContent ?? "",
          sentences: [
            ...document.querySelectorAll(
              "main > h1, main > p, main > .panel > h1, main > .panel > p",
            ),
          ].map((e) => (e.textContent ?? "").trim()),
        };
      });
      expect(look.bar, `${where}: the dashboard's top bar`).toBe(TOPBAR);
      expect(look.dashboardLink, `${where}: a link to the dashboard`).toBe(true);
      expect(look.text, `${where}: no raw ISO time`).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
      // The reader's zone, named: Berlin in December is CET (GMT+1), never UTC.
      for (const time of look.times) expect(time, `${where}: ${time}`).toMatch(/CET|GMT\+1/);
      for (const sentence of look.sentences.filter(Boolean))
        expect(sentence[0], `${where}: "${sentence}"`).toBe(sentence[0]?.toUpperCase());
      await shot(page, `${name}-${width}`);
    } finally {
      await context.close();
    }
  }
}
