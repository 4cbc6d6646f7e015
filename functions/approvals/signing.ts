/**
 * HMAC-SHA256 tokens: approval links, the confirm form's CSRF token, magic sign-in links, session
 * cookies, the API's CSRF token, the audit ledger's signed heads and webhook signatures. One signing key (an SST secret; locally a generated key in the
 * data directory) is split into one subkey per purpose, so a token made for one use never verifies
 * for another. Comparisons are constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

type Purpose = "link" | "form" | "magic" | "session" | "csrf" | "ledger" | "webhook";

/** Signs and verifies every token this service hands out. Never exposes the key. */
export class Signer {
  readonly #keys: Record<Purpose, Buffer>;

  constructor(signingKey: string) {
    const derive = (purpose: Purpose) =>
      createHmac("sha256", signingKey).update(`countersign/${purpose}/v1`).digest();
    this.#keys = {
      link: derive("link"),
      form: derive("form"),
      magic: derive("magic"),
      session: derive("session"),
      csrf: derive("csrf"),
      ledger: derive("ledger"),
      webhook: derive("webhook"),
    };
  }

  /** `base64url(JSON payload).base64url(MAC)` */
  seal(purpose: Purpose, payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${body}.${this.mac(purpose, body)}`;
  }

  /** The payload of a sealed token, or `undefined` when it was not made by us for this purpose. */
  open(purpose: Purpose, token: string): unknown {
    const dot = token.indexOf(".");
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    if (!safeEqual(token.slice(dot + 1), this.mac(purpose, body))) return undefined;
    try {
      return JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
  }

  /** A MAC over `parts`, for tokens bound to known values (CSRF). */
  mac(purpose: Purpose, ...parts: string[]): string {
    return createHmac("sha256", this.#keys[purpose]).update(parts.join("\n")).digest("base64url");
  }

  /**
   * The webhook signing key as hex: what a webhook receiver is configured with to check the
   * `X-Countersign-Signature` header (`countersign approvals webhook-key` prints it).
   */
  webhookKeyHex(): string {
    return this.#keys.webhook.toString("hex");
  }

  /** Constant-time check of a MAC made by `mac(purpose, ...parts)`. */
  verify(purpose: Purpose, token: string | undefined, ...parts: string[]): boolean {
    return token !== undefined && safeEqual(token, this.mac(purpose, ...parts));
  }

  /** The raw subkeys, for tests that scan output for secrets. */
  secretsForLeakTests(): string[] {
    return Object.values(this.#keys).flatMap((k) => [
      k.toString("hex"),
      k.toString("base64"),
      k.toString("base64url"),
    ]);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** SHA-256 hex, for storing session and sign-in ids so a table dump does not hold live secrets. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** What an approval link carries: approval id, approver, expiry (epoch seconds). */
export interface LinkClaims {
  approvalId: string;
  approver: string;
  exp: number;
}

/** The `sig` query value of an approval link. */
export function signLink(signer: Signer, claims: LinkClaims): string {
  return signer.seal("link", { a: claims.approvalId, e: claims.approver, x: claims.exp });
}

/** The claims of a genuine link, or `undefined` for a forged or damaged one. */
export function readLink(signer: Signer, sig: string): LinkClaims | undefined {
  const p = signer.open("link", sig) as { a?: unknown; e?: unknown; x?: unknown } | undefined;
  if (!p || typeof p.a !== "string" || typeof p.e !== "string" || typeof p.x !== "number")
    return undefined;
  return { approvalId: p.a, approver: p.e, exp: p.x };
}

/** The confirm form's CSRF token: bound to the link (approval, approver, expiry). */
export function formToken(signer: Signer, claims: LinkClaims): string {
  return signer.mac("form", claims.approvalId, claims.approver, String(claims.exp));
}
