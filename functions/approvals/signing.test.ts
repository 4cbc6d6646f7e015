import { describe, expect, it } from "vitest";
import { formToken, readLink, Signer, signLink } from "./signing.ts";

const signer = new Signer("k".repeat(40));
const claims = { approvalId: "abc123", approver: "alice@shop.test", exp: 1_900_000_000 };

describe("signed approval links", () => {
  it("round-trip their claims", () => {
    expect(readLink(signer, signLink(signer, claims))).toEqual(claims);
  });

  it("refuse any change to payload or MAC, and another key's links", () => {
    const sig = signLink(signer, claims);
    const [body, mac] = sig.split(".") as [string, string];
    const otherBody = Buffer.from(
      JSON.stringify({ a: "abc123", e: "mallory@evil.test", x: claims.exp }),
    ).toString("base64url");
    expect(readLink(signer, `${otherBody}.${mac}`)).toBeUndefined();
    expect(readLink(signer, `${body}.${mac.slice(0, -1)}A`)).toBeUndefined();
    expect(readLink(signer, body)).toBeUndefined();
    expect(readLink(new Signer("z".repeat(40)), sig)).toBeUndefined();
  });

  it("are not valid as tokens of another purpose", () => {
    const sig = signLink(signer, claims);
    expect(signer.open("magic", sig)).toBeUndefined();
    expect(signer.open("link", sig)).toBeDefined();
  });

  it("bind the form token to approval, approver and expiry", () => {
    const token = formToken(signer, claims);
    expect(
      signer.verify("form", token, claims.approvalId, claims.approver, String(claims.exp)),
    ).toBe(true);
    expect(
      signer.verify("form", token, claims.approvalId, "bob@shop.test", String(claims.exp)),
    ).toBe(false);
    expect(
      signer.verify("form", undefined, claims.approvalId, claims.approver, String(claims.exp)),
    ).toBe(false);
  });

  it("never put the key in a token", () => {
    const sig = signLink(signer, claims);
    expect(sig).not.toContain("kkkk");
    for (const secret of signer.secretsForLeakTests()) expect(sig).not.toContain(secret);
  });
});
