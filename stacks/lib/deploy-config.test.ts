import { describe, expect, it } from "vitest";
import { readDeployConfig } from "./deploy-config.ts";
import { DeployConfigError } from "./errors.ts";

describe("readDeployConfig", () => {
  it("needs a sender and defaults the rest", () => {
    expect(readDeployConfig({ COUNTERSIGN_SENDER: "orders@example.com" })).toEqual({
      sender: "orders@example.com",
      approvers: [],
      approvalThreshold: 500,
      approvalTimeoutSeconds: 86_400,
    });
  });

  it("names the variable to set when the sender is missing", () => {
    expect(() => readDeployConfig({})).toThrow(DeployConfigError);
    expect(() => readDeployConfig({})).toThrow(/COUNTERSIGN_SENDER/);
  });

  it("reads approvers and numbers, rejecting bad ones by name", () => {
    const config = readDeployConfig({
      COUNTERSIGN_SENDER: "orders@example.com",
      COUNTERSIGN_APPROVERS: " a@example.com, b@example.com ",
      COUNTERSIGN_APPROVAL_THRESHOLD: "1000",
      COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS: "3600",
    });
    expect(config.approvers).toEqual(["a@example.com", "b@example.com"]);
    expect(config.approvalThreshold).toBe(1000);
    expect(config.approvalTimeoutSeconds).toBe(3600);
    const bad = (env: Record<string, string>) => () =>
      readDeployConfig({ COUNTERSIGN_SENDER: "o@example.com", ...env });
    expect(bad({ COUNTERSIGN_APPROVERS: "nobody" })).toThrow(/COUNTERSIGN_APPROVERS.*nobody/);
    expect(bad({ COUNTERSIGN_APPROVAL_THRESHOLD: "-1" })).toThrow(/COUNTERSIGN_APPROVAL_THRESHOLD/);
    expect(bad({ COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS: "1.5" })).toThrow(
      /COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS/,
    );
  });
});
