/**
 * Task tokens: deterministic (the engine asks for the same token again on replay), unguessable
 * (an HMAC-SHA256 over the execution and task id with a per-runtime secret, 256 bits), at most
 * 2,048 characters, and self-locating (the execution and task id ride inside, authenticated).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "CS1";
const MAX_TOKEN_LENGTH = 2048;

export interface TokenTarget {
  executionArn: string;
  taskId: string;
}

/** Mints and checks task tokens with one secret (kept in the store so tokens survive restarts). */
export class TokenCodec {
  constructor(private readonly secret: Buffer) {}

  /** A fresh random secret, base64-encoded, for a new data directory. */
  static newSecret(): string {
    return randomBytes(32).toString("base64");
  }

  mint(executionArn: string, taskId: string): string {
    const body = Buffer.from(JSON.stringify([executionArn, taskId])).toString("base64url");
    return `${PREFIX}${body}.${this.sign(body)}`;
  }

  /** The task a token belongs to, or undefined when it is not one of ours (→ InvalidToken). */
  parse(token: unknown): TokenTarget | undefined {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return undefined;
    if (!token.startsWith(PREFIX)) return undefined;
    const dot = token.lastIndexOf(".");
    if (dot < 0) return undefined;
    const body = token.slice(PREFIX.length, dot);
    const given = Buffer.from(token.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.sign(body), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        typeof parsed[0] === "string" &&
        typeof parsed[1] === "string"
      ) {
        return { executionArn: parsed[0], taskId: parsed[1] };
      }
    } catch {
      // fall through: a signed but unreadable body cannot happen unless the secret leaked
    }
    return undefined;
  }

  private sign(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}
