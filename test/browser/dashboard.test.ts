/**
 * The dashboard in a real browser: playwright-core drives Debian's chromium (headless)
 * against the real local platform (`countersign start`). An approver signs in through the magic
 * link in the Outbox, approves one order from the inbox and watches its execution turn green,
 * rejects another and sees the compensation path in the graph, opens an execution's history, and
 * decides a third from the email link's confirm page with JavaScript disabled. Every page is then
 * checked at a phone's width and a desktop's: no sideways scroll, and no graph label on anything.
 * Screenshots go to test/artifacts/ (gitignored).
 */
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cliAsync,
  eventually,
  importDemoCatalogue,
  type Started,
  startPlatform,
  stop,
  tempDataDir,
} from "../platform/harness.ts";
import { ARTIFACTS, ensureFreshBuild, launchBrowser, shot } from "./browser.ts";
import { checkEmailPage } from "./email-pages.ts";
import { horizontalOverflow, labelOverlaps, measureGraph, pointOnEdge } from "./page-checks.ts";

const APPROVER = "manager@countersign.local";
const UI_TIMEOUT = 30_000;

let platform: Started;
let dataDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  at: string;
}

/** `countersign orders place --demo`, run without blocking this process (the platform's output
 * pipe must keep draining while the CLI talks to it). */
async function placeDemoOrder(): Promise<string> {
  const r = await cliAsync(["orders", "place", "--demo", "--data-dir", dataDir, "--json"]);
  if (r.code !== 0) throw new Error(`orders place failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { orderId: string }).orderId;
}

async function outbox(): Promise<Mail[]> {
  const response = await fetch(`${platform.api}/api/outbox`);
  return ((await response.json()) as { items: Mail[] }).items;
}

const executionUrl = (orderId: string) =>
  `${platform.api}/#/executions/${encodeURIComponent(`arn:aws:states:us-east-1:000000000000:execution:OrderSaga:${orderId}`)}`;

describe("dashboard in a browser", () => {
  beforeAll(async () => {
    ensureFreshBuild();
    dataDir = tempDataDir();
    platform = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"], {
      timeoutMs: 150_000,
    });
    await importDemoCatalogue(dataDir);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (platform) await stop(platform.child, "SIGTERM");
  }, 60_000);

  it("signs in through the magic link in the outbox", async () => {
    await page.goto(`${platform.api}/`);
    await page.getByLabel("Email address").fill(APPROVER);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await page.getByText("Check your email").waitFor();

    await page.getByRole("link", { name: "Outbox" }).first().click();
    const mail = page
      .locator("li.mail", { hasText: "Sign in" })
      .filter({ hasText: APPROVER })
      .first();
    await mail.locator('a[href*="/auth/magic?t="]').click();
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await expect(page.locator(".account-email").textContent()).resolves.toBe(APPROVER);
  });

  it("approves an order from the inbox with a comment and watches its execution turn green", async () => {
    const approved = await placeDemoOrder();
    const rejected = await placeDemoOrder();
    (globalThis as { rejectedOrder?: string }).rejectedOrder = rejected;
    const card = page.locator(`article.approval:has-text("${approved}")`);
    await card.waitFor(); // arrives by polling, no reload
    await page.locator(`article.approval:has-text("${rejected}")`).waitFor();
    await shot(page, "inbox");

    await card.getByLabel("Comment (optional)").fill("Known customer, approved.");
    await card.getByRole("button", { name: "Approve" }).click();
    await card.waitFor({ state: "detached" });
    await page
      .getByRole("status")
      .getByText(new RegExp(`^Approved Order ${approved} for `))
      .waitFor();
    const decided = page.locator("tr", { hasText: approved });
    await decided.locator('[data-status="APPROVED"]').waitFor();
    await expect(decided.textContent()).resolves.toContain("Known customer, approved.");
    await expect(decided.textContent()).resolves.toContain(APPROVER);

    await card.page().goto(executionUrl(approved));
    await page.locator('.page-header [data-status="SUCCEEDED"]').waitFor();
    for (const state of ["RequestApproval", "ChargePayment", "ShipOrder", "NotifyCustomer"]) {
      await page.locator(`g.node[data-state="${state}"][data-status="succeeded"]`).waitFor();
    }
    await expect(
      page.locator('g.node[data-state="ReleaseStock"]').getAttribute("data-status"),
    ).resolves.toBe("not-reached");
    await shot(page, "execution-approved");
  });

  it("rejects another order and shows the compensation path in the graph", async () => {
    const rejected = (globalThis as { rejectedOrder?: string }).rejectedOrder!;
    await page.goto(`${platform.api}/#/inbox`);
    const card = page.locator(`article.approval:has-text("${rejected}")`);
    await card.getByLabel("Comment (optional)").fill("Over budget this quarter.");
    await card.getByRole("button", { name: "Reject" }).click();
    await page.locator("tr", { hasText: rejected }).locator('[data-status="REJECTED"]').waitFor();

    await page.goto(executionUrl(rejected));
    await page.locator('.page-header [data-status="FAILED"]').waitFor();
    await page.locator('g.node[data-state="ReleaseStock"][data-status="succeeded"]').waitFor();
    await page.locator('g.node[data-state="MarkOrderFailed"][data-status="succeeded"]').waitFor();
    await expect(
      page.locator('g.node[data-state="ChargePayment"]').getAttribute("data-status"),
    ).resolves.toBe("not-reached");
    const taken = await page
      .locator('g.edge[data-taken="true"]')
      .evaluateAll((edges) => edges.map((e) => e.getAttribute("data-edge")));
    expect(taken).toContain("ReleaseStock->MarkOrderFailed");
    expect(taken).not.toContain("ApprovalDecision->ChargePayment");

    await page.locator('g.node[data-state="ReleaseStock"]').click();
    await page.locator(".state-panel").getByText("Succeeded").waitFor();
    await shot(page, "execution-rejected");
    // A viewport tall enough for the whole graph panel, so the sticky side panel sits at the top.
    await page.setViewportSize({ width: 1280, height: 1800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page
      .locator("section.panel", { hasText: "Graph" })
      .first()
      .screenshot({ path: join(ARTIFACTS, "execution-graph.png") });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("opens an execution's event history with inputs and outputs", async () => {
    const history = page.locator("ol.timeline");
    await history.locator('[data-event-type="ExecutionFailed"]').waitFor();
    const entered = history
      .locator('[data-event-type="TaskStateEntered"]', { hasText: "ValidateOrder" })
      .first();
    await entered.locator("summary").first().click();
    await expect(entered.locator("pre").first().textContent()).resolves.toContain('"orderId"');
    const exited = history
      .locator('[data-event-type="TaskStateExited"]', { hasText: "RequestApproval" })
      .first();
    await exited.locator("summary").first().click();
    await expect(exited.locator("pre").first().textContent()).resolves.toContain('"reject"');
    await history.scrollIntoViewIfNeeded();
    await shot(page, "execution-history");
  });

  it("redrives the failed execution from its page: it enters its Fail state again", async () => {
    const redrive = page.locator(".page-header").getByRole("button", { name: "Redrive" });
    await redrive.click();
    await page.locator(".facts", { hasText: "Redriven" }).getByText(/^once/).waitFor();
    await page.locator('ol.timeline [data-event-type="ExecutionRedriven"]').waitFor();
    await page.locator('.page-header [data-status="FAILED"]').waitFor();
    // Redriven once, it may be redriven again: the button stays while Step Functions allows it.
    await expect(
      page.locator('ol.timeline [data-event-type="ExecutionFailed"]').count(),
    ).resolves.toBe(2);
    await shot(page, "execution-redriven");
  });

  it("lists executions by status and finds one by order id", async () => {
    const rejected = (globalThis as { rejectedOrder?: string }).rejectedOrder!;
    await page.goto(`${platform.api}/#/executions`);
    await page.getByLabel("Status").selectOption("FAILED");
    await page.locator(`tr[data-execution="${rejected}"]`).waitFor();
    await page.getByLabel("Order id").fill(rejected.slice(-6));
    await page.locator("tbody tr").first().waitFor();
    await expect(page.locator("tbody tr").count()).resolves.toBe(1);
    await shot(page, "executions");
  });

  it("lists orders with their outcome", async () => {
    const rejected = (globalThis as { rejectedOrder?: string }).rejectedOrder!;
    await page.goto(`${platform.api}/#/orders`);
    const row = page.locator(`tr[data-order="${rejected}"]`);
    await row.locator('[data-status="FAILED"]').waitFor();
    await expect(page.locator('tbody [data-status="COMPLETED"]').count()).resolves.toBeGreaterThan(
      0,
    );
    await shot(page, "orders");
  });

  it("decides from the email link's confirm page with JavaScript disabled", async () => {
    const orderId = await placeDemoOrder();
    const mail = await eventually(async () =>
      (await outbox()).find((m) => m.to.includes(APPROVER) && m.text.includes(orderId)),
    );
    const link = /https?:\/\/\S+\/approvals\/\S+/.exec(mail.text)![0];
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const confirm = await noJs.newPage();
      await confirm.goto(link);
      await confirm.getByLabel("Comment (optional)").fill("Approved without JavaScript.");
      await confirm.getByRole("button", { name: "Approve" }).click();
      await expect(confirm.locator("body").textContent()).resolves.toMatch(/You approved "Order /);
      await shot(confirm, "confirm-no-js");
    } finally {
      await noJs.close();
    }

    await page.goto(executionUrl(orderId));
    await page.locator('.page-header [data-status="SUCCEEDED"]').waitFor();
  });

  it("draws catch edges light and unlabelled until hovered or their state is selected", async () => {
    const rejected = (globalThis as { rejectedOrder?: string }).rejectedOrder!;
    await page.goto(executionUrl(rejected));
    await page.locator('g.node[data-state="ReleaseStock"][data-status="succeeded"]').waitFor();
    const catchLabel = page.locator(
      'g.edge-catch[data-edge="ValidateOrder->MarkOrderFailed"] .edge-label',
    );
    const shown = () => catchLabel.evaluate((el) => getComputedStyle(el).visibility !== "hidden");
    await expect(shown()).resolves.toBe(false);
    const choiceLabels = page.locator("g.edge-choice .edge-label, g.edge-default .edge-label");
    expect(await choiceLabels.count()).toBeGreaterThan(0);
    for (const visible of await choiceLabels.evaluateAll((els) =>
      els.map((el) => getComputedStyle(el).visibility !== "hidden"),
    ))
      expect(visible).toBe(true);

    const edge = page.locator('g.edge-catch[data-edge="ValidateOrder->MarkOrderFailed"]');
    await edge.scrollIntoViewIfNeeded();
    const onLine = await pointOnEdge(edge);
    await page.mouse.move(onLine.x, onLine.y);
    await expect(shown()).resolves.toBe(true);
    await page.mouse.move(0, 0);
    await expect(shown()).resolves.toBe(false);
    await page.locator('g.node[data-state="ValidateOrder"]').click();
    await expect(shown()).resolves.toBe(true);
  });

  it("fits every page at 375 and 1280 pixels wide, with no graph label on anything", async () => {
    const waiting = await placeDemoOrder();
    const rejected = (globalThis as { rejectedOrder?: string }).rejectedOrder!;
    const pages: Array<{ name: string; url: string; ready: (p: Page) => Promise<unknown> }> = [
      {
        name: "inbox",
        url: `${platform.api}/#/inbox`,
        ready: (p) => p.locator(`article.approval:has-text("${waiting}")`).waitFor(),
      },
      {
        name: "executions",
        url: `${platform.api}/#/executions`,
        ready: (p) => p.locator(`tr[data-execution="${rejected}"]`).waitFor(),
      },
      {
        name: "execution",
        url: executionUrl(rejected),
        ready: (p) =>
          p.locator('g.node[data-state="ReleaseStock"][data-status="succeeded"]').waitFor(),
      },
      {
        name: "orders",
        url: `${platform.api}/#/orders`,
        ready: (p) => p.locator(`tr[data-order="${rejected}"]`).waitFor(),
      },
      {
        name: "outbox",
        url: `${platform.api}/#/outbox`,
        ready: (p) => p.locator("li.mail").first().waitFor(),
      },
    ];
    for (const width of [375, 1280]) {
      const phone = width < 600;
      const sized = await browser.newContext({
        viewport: { width, height: phone ? 812 : 900 },
        ...(phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
        storageState: await context.storageState(),
      });
      sized.setDefaultTimeout(UI_TIMEOUT);
      try {
        const p = await sized.newPage();
        for (const { name, url, ready } of pages) {
          await p.goto(url);
          await ready(p);
          expect(await horizontalOverflow(p, width), `${name} at ${width}px`).toBe(0);
          if (name === "execution")
            expect(labelOverlaps(await measureGraph(p)), `graph at ${width}px`).toEqual([]);
          await shot(p, `${name}-${width}`);
        }
      } finally {
        await sized.close();
      }
    }
  });

  it("the pages an email link opens fit at 375 and 1280 pixels, look like the dashboard and show local times", async () => {
    const orderId = await placeDemoOrder();
    const mail = await eventually(async () =>
      (await outbox()).find((m) => m.to.includes(APPROVER) && m.text.includes(orderId)),
    );
    const link = /https?:\/\/\S+\/approvals\/\S+/.exec(mail.text)![0];
    await checkEmailPage(browser, "approval-confirm", async (p) => {
      await p.goto(link);
      await p.getByRole("button", { name: "Approve" }).waitFor();
    });
    await checkEmailPage(
      browser,
      "approval-result",
      async (p) => {
        await p.goto(link);
        await p.getByRole("button", { name: "Approve" }).click();
        await p.getByRole("heading", { name: "Approved" }).waitFor();
      },
      [375],
    );
    await checkEmailPage(browser, "approval-already-decided", async (p) => {
      await p.goto(link);
      await p.getByRole("heading", { name: "Already decided" }).waitFor();
      await expect(p.locator("main > p").first().textContent()).resolves.toMatch(
        new RegExp(`^Already approved by ${APPROVER} at `),
      );
    });

    // The new sign-in mail is the one the outbox did not hold before (its `at` has whole seconds).
    const before = new Set((await outbox()).map((m) => m.id));
    await fetch(`${platform.api}/api/auth/magic-link`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: APPROVER }),
    });
    const signIn = await eventually(async () =>
      (await outbox()).find((m) => m.subject.startsWith("Sign in") && !before.has(m.id)),
    );
    const magic = /https?:\/\/\S+\/auth\/magic\?t=\S+/.exec(signIn.text)![0];
    await checkEmailPage(browser, "sign-in-confirm", async (p) => {
      await p.goto(magic);
      await p.getByRole("button", { name: "Sign in" }).waitFor();
    });
  });

  it("signs out back to the sign-in page", async () => {
    await page.goto(`${platform.api}/#/inbox`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Email address").waitFor();
    const session = await page.evaluate(async () => (await fetch("/api/session")).status);
    expect(session).toBe(401);
  });
});
