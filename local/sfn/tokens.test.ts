import { describe, expect, it } from "vitest";
import { TokenCodec } from "./tokens.ts";

describe("TokenCodec", () => {
  const codec = new TokenCodec(Buffer.from(TokenCodec.newSecret(), "base64"));
  const arn = "arn:aws:states:us-east-1:123456789012:execution:orders:o-1";

  it("mints the same token for the same task and finds the task again", () => {
    const token = codec.mint(arn, "task-7");

    expect(codec.mint(arn, "task-7")).toBe(token);
    expect(token.length).toBeLessThanOrEqual(2048);
    expect(codec.parse(token)).toEqual({ executionArn: arn, taskId: "task-7" });
  });

  it("rejects garbage, tampered tokens and tokens of another runtime", () => {
    const token = codec.mint(arn, "task-7");
    const other = new TokenCodec(Buffer.from(TokenCodec.newSecret(), "base64"));

    expect(codec.parse("garbage")).toBeUndefined();
    expect(codec.parse(`${token.slice(0, -2)}AA`)).toBeUndefined();
    expect(codec.parse(other.mint(arn, "task-7"))).toBeUndefined();
    expect(codec.parse(42)).toBeUndefined();
  });
});
