import { describe, expect, it } from "vitest";
import { readDeployConfig } from "./deploy-config.ts";
import { DeployConfigError } from "./errors.ts";

const needed = {
  COUNTERSIGN_SENDER: "orders@example.com",
  COUNTERSIGN_APPROVERS: "boss@example.com",
};

describe("readDeployConfig", () => {
  it("needs a sender and approvers, and defaults the rest (no alarm mail, no KMS key)", () => {
    expect(readDeployConfig(needed)).toEqual({
      sender: "orders@example.com",
      approvers: ["boss@example.com"],
      operators: [],
      approvalThreshold: 500,
      approvalTimeoutSeconds: 86_400,
      kms: false,
    });
  });

  it("names the variable to set when the sender or the approvers are missing", () => {
    expect(() => readDeployConfig({})).toThrow(DeployConfigError);
    expect(() => readDeployConfig({ COUNTERSIGN_APPROVERS: "a@example.com" })).toThrow(
      /COUNTERSIGN_SENDER is not set/,
    );
    expect(() => readDeployConfig({ COUNTERSIGN_SENDER: "o@example.com" })).toThrow(
      /COUNTERSIGN_APPROVERS is not set/,
    );
    expect(() => readDeployConfig({ ...needed, COUNTERSIGN_APPROVERS: " , " })).toThrow(
      /COUNTERSIGN_APPROVERS is not set/,
    );
  });

  it("reads approvers, numbers, the alarm address and the KMS switch, rejecting bad ones by name", () => {
    const config = readDeployConfig({
      ...needed,
      COUNTERSIGN_APPROVERS: " a@example.com, b@example.com ",
      COUNTERSIGN_APPROVAL_THRESHOLD: "1000",
      COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS: "3600",
      COUNTERSIGN_ALARM_EMAIL: "ops@example.com",
      COUNTERSIGN_KMS: "1",
      COUNTERSIGN_OPERATORS: "Ops@Example.com, a@example.com",
    });
    expect(config.approvers).toEqual(["a@example.com", "b@example.com"]);
    expect(config.operators).toEqual(["ops@example.com", "a@example.com"]);
    expect(config.approvalThreshold).toBe(1000);
    expect(config.approvalTimeoutSeconds).toBe(3600);
    expect(config.alarmEmail).toBe("ops@example.com");
    expect(config.kms).toBe(true);
    const bad = (env: Record<string, string>) => () => readDeployConfig({ ...needed, ...env });
    expect(bad({ COUNTERSIGN_APPROVERS: "nobody" })).toThrow(/COUNTERSIGN_APPROVERS.*nobody/);
    expect(bad({ COUNTERSIGN_APPROVAL_THRESHOLD: "-1" })).toThrow(/COUNTERSIGN_APPROVAL_THRESHOLD/);
    expect(bad({ COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS: "1.5" })).toThrow(
      /COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS/,
    );
    // Past the approvals' limit of 30 days every handler would refuse the Settings link.
    expect(bad({ COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS: "2592001" })).toThrow(
      /COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS/,
    );
    expect(bad({ COUNTERSIGN_ALARM_EMAIL: "ops" })).toThrow(/COUNTERSIGN_ALARM_EMAIL/);
    expect(bad({ COUNTERSIGN_KMS: "yes" })).toThrow(/COUNTERSIGN_KMS/);
    expect(bad({ COUNTERSIGN_OPERATORS: "ops@example.com, ops" })).toThrow(
      /COUNTERSIGN_OPERATORS has invalid addresses \(ops\)/,
    );
  });
});
