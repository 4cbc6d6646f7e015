/**
 * The HTML shell of every page people see (confirm pages, outcomes, errors). No scripts at all;
 * the one stylesheet is inline and allowed by its hash in the Content-Security-Policy, so the CSP
 * can stay `default-src 'none'`.
 */
import { createHash } from "node:crypto";
import { esc } from "../../approvals/index.ts";

const CSS = `body{font-family:system-ui,-apple-system,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right}.total{font-size:1.2rem}.muted{color:#666;font-size:.9rem}
textarea,input,select{width:100%;font:inherit;box-sizing:border-box;padding:.3rem}textarea{min-height:4rem}
label{display:block;margin-top:.6rem}table.summary th{width:40%;font-weight:600}
button{font:inherit;font-weight:600;padding:.8rem 1.6rem;margin:.5rem .5rem 0 0;border:0;border-radius:.4rem;color:#fff;cursor:pointer}
button.approve{background:#1a7f37}button.reject{background:#cf222e}button.primary{background:#0969da}
button.hint{outline:3px solid #f2cc60}.box{padding:1rem;border-radius:.4rem;background:#f6f8fa}`;

/** `style-src` source allowing exactly the inline stylesheet above. */
export const STYLE_HASH = `'sha256-${createHash("sha256").update(CSS).digest("base64")}'`;

/** A complete HTML document; `body` must already be escaped HTML. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)} · Countersign</title><style>${CSS}</style></head>
<body><main>${body}</main></body></html>`;
}

/** A page with a heading and a message, for outcomes and errors. */
export function messagePage(title: string, message: string, extra = ""): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>${extra}`);
}
