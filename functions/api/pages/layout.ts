/**
 * The HTML shell of every page people open from an email (confirm pages, outcomes, errors, the
 * sign-in confirm page): the dashboard's top bar with a way to it, and the dashboard's stylesheet
 * (theme.ts) plus the few rules only these pages need. The stylesheet and the one small script
 * (times in the reader's own zone) are inline and allowed by their hashes in the
 * Content-Security-Policy, so the CSP can stay `default-src 'none'`. Without the script a time
 * still reads whole, in UTC with its zone (times.ts).
 */
import { createHash } from "node:crypto";
import { esc } from "../../approvals/index.ts";
import { THEME_CSS } from "./theme.ts";
import { LOCAL_TIME_SCRIPT } from "./times.ts";

/** What only the pages need, on top of the shared theme. */
const PAGE_CSS = `.page{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
.page .panel{padding:1rem 1.1rem;margin:1rem 0}
table.summary{border-collapse:collapse;width:100%}table.summary th,table.summary td{padding:.45rem .4rem;border-bottom:1px solid var(--border);text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.summary th{width:40%;font-weight:600}table.summary tr:last-child th,table.summary tr:last-child td{border-bottom:0}
.page form .button{margin:.75rem .5rem 0 0}.page .button.is-suggested{outline:3px solid #f2cc60;outline-offset:2px}
.page time{white-space:nowrap}.page .back{margin-top:1.5rem}`;

const CSS = `${THEME_CSS}\n${PAGE_CSS}`;

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** `style-src` source allowing exactly the inline stylesheet. */
export const STYLE_HASH = hash(CSS);
/** `script-src` source allowing exactly the inline script that shows times in local time. */
export const SCRIPT_HASH = hash(LOCAL_TIME_SCRIPT);

/** A complete HTML document; `body` must already be escaped HTML. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)} · Countersign</title><style>${CSS}</style></head>
<body><header class="topbar"><div class="topbar-inner"><a class="brand" href="/"><span class="brand-mark" aria-hidden="true">✓✓</span>Countersign</a>
<nav aria-label="Main" class="nav"><a href="/">Dashboard</a></nav></div></header>
<main class="page">${body}<p class="back muted"><a href="/">Open the dashboard</a> to see every request waiting for you.</p></main>
<script>${LOCAL_TIME_SCRIPT}</script></body></html>`;
}

/** A page with a heading and a message, for outcomes and errors; `extra` is escaped HTML. */
export function messagePage(title: string, message: string, extra = ""): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>${extra}`);
}

/** Like {@link messagePage}, with a message that is already escaped HTML (it holds `<time>`s). */
export function messagePageHtml(title: string, messageHtml: string, extra = ""): string {
  return page(title, `<h1>${esc(title)}</h1><p>${messageHtml}</p>${extra}`);
}
