/**
 * Times on the pages an email link opens. The server does not know the reader's zone, so a time
 * is written whole in UTC with its zone ("Dec 7, 2026, 5:43 PM UTC", never a raw ISO string that
 * wraps mid-date) inside `<time datetime>`, and one small inline script rewrites it in the
 * browser's own locale and zone ("7 Dec 2026, 18:43 CET"), as the dashboard shows times.
 */
import { esc } from "../../approvals/index.ts";
import { formatDateTime } from "../../shared/format.ts";

/** A `<time>` element for an ISO instant, readable without the script. */
export function timeHtml(iso: string): string {
  return `<time datetime="${esc(iso)}">${esc(formatDateTime(iso))}</time>`;
}

/**
 * Rewrites every `<time datetime>` in the reader's locale and zone, with the zone's name. Inline
 * and allowed by its hash (layout.ts); it reads nothing but the page.
 */
export const LOCAL_TIME_SCRIPT = `for(const t of document.querySelectorAll("time[datetime]")){const d=new Date(t.dateTime);if(!Number.isNaN(d.getTime()))t.textContent=new Intl.DateTimeFormat(undefined,{year:"numeric",month:"short",day:"numeric",hour:"numeric",minute:"2-digit",timeZoneName:"short"}).format(d)}`;
