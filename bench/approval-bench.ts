/**
 * Item 4: from an approver's click to the execution running again, through the real HTTP API.
 * The platform runs as `npm start` runs it; the bench signs in as an approver by magic link (read
 * from the local outbox), parks orders on their approval step, then decides them one by one with
 * `POST /api/approvals/:id/decision` and times each until the execution's history shows the
 * approval task succeeded (the engine has taken the decision and moved on).
 */
import { readOutbox } from "../local/emulators/ses-local.ts";
import type { Figure } from "./figures.ts";
import { type BenchPlatform, benchOrder, startBenchPlatform } from "./platform.ts";
import { percentile, progress } from "./stats.ts";

/** The approver the platform's settings name first (`local/platform/demo.ts`). */
const APPROVER = "manager@countersign.local";

interface Session {
  cookie: string;
  csrf: string;
}

interface PendingApproval {
  approvalId: string;
  executionArn: string;
}

/** Signs in the way a person does: ask for a magic link, open it from the outbox, confirm. */
export async function signIn(p: BenchPlatform, email: string): Promise<Session> {
  const origin = { origin: p.apiUrl };
  const asked = await fetch(`${p.apiUrl}/api/auth/magic-link`, {
    method: "POST",
    headers: { "content-type": "application/json", ...origin },
    body: JSON.stringify({ email }),
  });
  if (asked.status !== 202) throw new Error(`magic link request answered ${asked.status}`);
  let token: string | undefined;
  for (let i = 0; i < 100 && !token; i++) {
    const mails = (await readOutbox(p.sesEndpoint)).filter((m) => m.to.includes(email));
    for (const m of mails.reverse()) {
      token = /\/auth\/magic\?t=([^"'&\s<]+)/.exec(`${m.text}\n${m.html}`)?.[1];
      if (token) break;
    }
    if (!token) await new Promise((r) => setTimeout(r, 100));
  }
  if (!token) throw new Error(`no sign-in mail for ${email} in the outbox`);
  const signedIn = await fetch(`${p.apiUrl}/auth/magic`, {
    method: "POST",
    headers: origin,
    body: new URLSearchParams({ t: decodeURIComponent(token) }),
    redirect: "manual",
  });
  const cookie = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("cs_session="));
  if (!cookie) throw new Error(`sign-in answered ${signedIn.status} without a session cookie`);
  const session = await fetch(`${p.apiUrl}/api/session`, { headers: { cookie } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

async function pendingApprovals(p: BenchPlatform, s: Session): Promise<PendingApproval[]> {
  const res = await fetch(`${p.apiUrl}/api/approvals?status=PENDING`, {
    headers: { cookie: s.cookie },
  });
  if (!res.ok) throw new Error(`GET /api/approvals answered ${res.status}`);
  // The order saga's requests are titled "Order <orderId> for <total>" (its ASL builds the title).
  const { items } = (await res.json()) as { items: Array<PendingApproval & { title: string }> };
  return items.filter((a) => a.title.startsWith(`Order ${p.runId}`));
}

/**
 * Starts up to `count` orders that need approval, at most 20 on their way at a time, and waits
 * until each waits on its approver. On a machine too slow to park them all within `budgetMs`, it
 * returns those that made it (the figure's note says how many).
 */
export async function parkOrders(
  p: BenchPlatform,
  s: Session,
  count: number,
  budgetMs: number,
  firstOrder = 0,
): Promise<PendingApproval[]> {
  const t0 = performance.now();
  let started = 0;
  let parked: PendingApproval[] = [];
  let lastReport = t0;
  for (;;) {
    parked = await pendingApprovals(p, s);
    const now = performance.now();
    if (parked.length >= count || now > t0 + budgetMs + 10_000) break;
    while (started < count && now < t0 + budgetMs && started - parked.length < 20) {
      const order = benchOrder(p.runId, firstOrder + started++, true);
      await p.runtime.startExecution({
        stateMachineArn: p.stateMachineArn,
        name: order.orderId,
        input: JSON.stringify(order),
      });
    }
    if (started === parked.length && now > t0 + budgetMs) break;
    if (now - lastReport > 3_000) {
      lastReport = now;
      progress("approval", `${parked.length}/${count} orders waiting for approval`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (parked.length < count) {
    progress("approval", `only ${parked.length} of ${count} orders reached approval in time`);
  }
  return parked.slice(0, count);
}

/** The id of the newest history event of an execution. */
function lastEventId(p: BenchPlatform, executionArn: string): number {
  const page = p.runtime.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 1 });
  return Number(page.events[0]?.id ?? 0);
}

/** Resolves once a TaskSucceeded newer than `after` is in the history. */
async function resumed(p: BenchPlatform, executionArn: string, after: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const { events } = p.runtime.getExecutionHistory({
      executionArn,
      reverseOrder: true,
      maxResults: 25,
      includeExecutionData: false,
    });
    if (events.some((e) => Number(e.id) > after && e.type === "TaskSucceeded")) return;
    // A 1 ms poll: fine-grained enough for a 50 ms target without spinning a core the platform
    // (and DynamoDB Local's JVM) needs.
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`${executionArn} did not resume within 10 s of its approval`);
}

/** Approves one request by the JSON route; times the resumption and the response. */
async function decide(
  p: BenchPlatform,
  session: Session,
  a: PendingApproval,
): Promise<{ resumeMs: number; responseMs: number }> {
  const before = lastEventId(p, a.executionArn);
  const t0 = performance.now();
  // Watch the history while the request is in flight: the engine may resume the execution
  // before the API has finished its own bookkeeping and answered.
  const resumedAt = resumed(p, a.executionArn, before).then(() => performance.now());
  resumedAt.catch(() => undefined);
  const res = await fetch(
    `${p.apiUrl}/api/approvals/${encodeURIComponent(a.approvalId)}/decision`,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: session.cookie,
        "x-csrf-token": session.csrf,
        origin: p.apiUrl,
      },
      body: JSON.stringify({ decision: "approve", comment: "bench" }),
    },
  );
  await res.arrayBuffer();
  const responseMs = performance.now() - t0;
  if (res.status !== 200) throw new Error(`decision on ${a.approvalId} answered ${res.status}`);
  return { resumeMs: (await resumedAt) - t0, responseMs };
}

const WAVE = 150;

export async function runApprovalBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const warmup = quick ? 2 : 10;
  const measured = quick ? 5 : 200;
  const sectionStart = performance.now();
  const p = await startBenchPlatform("approval");
  try {
    const session = await signIn(p, APPROVER);
    progress("approval", `signed in as ${APPROVER}; ${warmup} + ${measured} approvals`);
    const samples: number[] = [];
    const responses: number[] = [];
    // An approver's inbox lists their newest 200 requests, so orders are parked and decided in
    // waves of at most WAVE. On a busy machine the budget ends the run early (the note says so).
    const deadline = sectionStart + (quick ? 30_000 : 85_000);
    let warmLeft = warmup;
    let ordersStarted = 0;
    while (samples.length < measured && performance.now() < deadline) {
      const want = Math.min(WAVE, measured - samples.length + warmLeft);
      const budget = Math.min(35_000, deadline - performance.now());
      const pending = await parkOrders(p, session, want, budget, ordersStarted);
      ordersStarted += want;
      if (pending.length === 0) break;
      for (const a of pending) {
        if (performance.now() > deadline) break;
        const { resumeMs, responseMs } = await decide(p, session, a);
        // People click one at a time, seconds apart: let this order finish its charge, shipping
        // and email before the next click, so each click is timed on its own rather than queued
        // behind the previous order's writes (untimed; the saga bench measures throughput).
        await p.runtime.waitForExecution(a.executionArn);
        if (warmLeft > 0) {
          warmLeft--;
        } else {
          samples.push(resumeMs);
          responses.push(responseMs);
        }
      }
      progress("approval", `${samples.length}/${measured} decided`);
    }
    if (samples.length === 0) throw new Error("no approval was decided within the time budget");
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    progress("approval", `click to resumed: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    const short =
      samples.length < measured ? ` (of ${measured} planned; the time budget ran out)` : "";
    const note = `${samples.length} approvals${short}, one at a time (each after the previous order finished), after ${warmup} warm-up`;
    return [
      { name: "approval.resumeMs.p50", value: p50, unit: "ms", note },
      { name: "approval.resumeMs.p99", value: p99, unit: "ms", note },
      {
        name: "approval.decisionResponseMs.p50",
        value: percentile(responses, 50),
        unit: "ms",
        note: "until the decision POST answers (it also records the delivery after SendTaskSuccess)",
      },
      { name: "approval.decisionResponseMs.p99", value: percentile(responses, 99), unit: "ms" },
    ];
  } finally {
    await p.stop();
  }
}
