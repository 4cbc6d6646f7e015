/**
 * What people do in approvals tests, over real HTTP against a world's API (runtime.ts): read the
 * newest request mail, open its link and submit the confirm page's form, sign in to the dashboard.
 */
import { form, hiddenFields, linkIn, mailTo, signIn } from "./harness.ts";
import type { World } from "./runtime.ts";

/** The newest mail to `email` whose subject matches, or throws. */
export async function lastMail(
  email: string,
  subject: RegExp = /Approval requested|Reminder|Escalated/,
) {
  const mail = (await mailTo(email)).filter((m) => subject.test(m.subject)).at(-1);
  if (!mail) throw new Error(`no mail matching ${subject} to ${email}`);
  return mail;
}

/** The approval link in the newest request mail to `email`. */
export async function linkFor(email: string): Promise<string> {
  return linkIn(await lastMail(email));
}

/** Opens `link` and submits its form as the approver would. */
export async function decideByLink(
  w: World,
  link: string,
  decision: "approve" | "reject",
  extra: Record<string, string> = {},
): Promise<Response> {
  const page = await fetch(link);
  const fields = hiddenFields(await page.text());
  return fetch(`${w.api.url}${new URL(link).pathname}`, {
    method: "POST",
    redirect: "manual",
    ...form({ ...fields, decision, ...extra }),
  });
}

/** A fetch client for `signIn` and JSON routes. */
export function client(w: World) {
  return {
    // Manual redirects: the sign-in POST sets its cookie on a 302.
    request: (path: string, init?: RequestInit) =>
      fetch(`${w.api.url}${path}`, { redirect: "manual", ...init }),
  };
}

/** Signs `email` in to the dashboard; returns headers for JSON routes. */
export async function dashboard(w: World, email: string) {
  const session = await signIn(client(w), email);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${w.api.url}${path}`, {
      method,
      headers: session.headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown) => call("POST", path, body),
    put: (path: string, body: unknown) => call("PUT", path, body),
  };
}
