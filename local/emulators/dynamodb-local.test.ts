import { describe, expect, it, vi } from "vitest";

describe("startDynamoDbLocal without Java", () => {
  it("fails with one line naming the fix", async () => {
    vi.resetModules();
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const { startDynamoDbLocal } = await import("./dynamodb-local.ts");
      await expect(startDynamoDbLocal()).rejects.toThrow(/needs Java 17\+.*install/);
    } finally {
      process.env.PATH = path;
    }
  });

  it("refuses a negative port, naming the field", async () => {
    const { startDynamoDbLocal } = await import("./dynamodb-local.ts");
    await expect(startDynamoDbLocal({ port: -1 })).rejects.toThrow(/port must be an integer/);
  });
});
