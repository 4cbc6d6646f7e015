/**
 * The approver of the saga fault runs, doing what a person does with the approval email: reads it
 * in the SES outbox, opens the link of their choice (the confirm page, a GET that changes
 * nothing), and presses the button (the form POST carrying the page's hidden link signature and
 * CSRF token). Both requests go to the approval API as the platform serves it (SagaWorld.fetch):
 * the decision takes the code path of a real click, down to SendTaskSuccess on the wire API.
 */
import { type Mail, readOutbox } from "../../local/emulators/ses-local.ts";
import { API_BASE, APPROVER } from "./platform-wiring.ts";

export type Decision = "approve" | "reject";

/** One click through: the link opened and the page the decision answered with. */
export interface Click {
  link: string;
  decision: Decision;
  /** HTTP status of the last page (the outcome page, or the confirm page's refusal). */
  status: number;
  /** The page's heading: `Approved`, `Rejected`, or what went wrong. */
  heading: string;
}

/** Fetches what a browser would fetch (relative to API_BASE). */
export type Browser = (request: Request) => Promise<Response>;

function heading(html: string): string {
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? "";
}

function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1] as string] = (m[2] as string).replaceAll("&amp;", "&").replaceAll("&quot;", '"');
  }
  return out;
}

export class Approver {
  /** Request emails already acted on, by SES message id. */
  private readonly read = new Set<string>();

  /**
   * @param outbox the SES outbox the handlers send to.
   * @param since only mail sent since then is read (the outbox is shared by the whole run).
   */
  constructor(
    private readonly outbox: string,
    private readonly since: Date,
  ) {}

  /** Approval requests for these orders that arrived since the last call, oldest first. */
  async newRequests(orderIds: ReadonlySet<string>): Promise<Map<string, Mail[]>> {
    const found = new Map<string, Mail[]>();
    for (const mail of await readOutbox(this.outbox, { since: this.since })) {
      if (this.read.has(mail.id) || !mail.to.includes(APPROVER)) continue;
      // The order saga's request title (its ASL) is `Order <id> for <total> <currency>`.
      const orderId = /Approval requested: Order (\S+) for /.exec(mail.subject)?.[1];
      if (!orderId || !orderIds.has(orderId)) continue;
      this.read.add(mail.id);
      found.set(orderId, [...(found.get(orderId) ?? []), mail]);
    }
    return found;
  }

  /** Opens the mail's link for `decision` and confirms it on the page. */
  async click(browser: Browser, mail: Mail, decision: Decision): Promise<Click> {
    const label = decision === "approve" ? "Approve" : "Reject";
    const link = new RegExp(`^${label}: (\\S+)$`, "m").exec(mail.text)?.[1];
    if (!link?.startsWith(`${API_BASE}/approvals/`)) {
      throw new Error(`no ${label} link to ${API_BASE} in mail "${mail.subject}"`);
    }
    const page = await browser(new Request(link));
    const html = await page.text();
    if (page.status !== 200) return { link, decision, status: page.status, heading: heading(html) };
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
    if (!action) throw new Error(`the confirm page of ${link} has no form`);
    const body = new URLSearchParams({ ...hiddenFields(html), decision });
    if (decision === "reject") body.set("comment", "declined in a fault run");
    const answer = await browser(
      new Request(new URL(action, link), {
        method: "POST",
        body,
        // What a browser sends for a form on the page it came from.
        headers: { origin: API_BASE, "sec-fetch-site": "same-origin" },
      }),
    );
    return { link, decision, status: answer.status, heading: heading(await answer.text()) };
  }
}
