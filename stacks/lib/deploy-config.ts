/**
 * Deploy-time settings read from the environment of `sst deploy`, validated once with errors that
 * name the variable and the fix. Secrets are not here: the signing key is an `sst.Secret`.
 */
import { approvalTimeoutProblem } from "../../functions/shared/approval-timeout.ts";
import { DeployConfigError } from "./errors.ts";

/** What a stage is deployed with. */
export interface DeployConfig {
  /** Verified SES sender address (or domain) approval mail comes from. */
  sender: string;
  /** Orders above this total wait for approval. */
  approvalThreshold: number;
  /** How long an approval waits before it counts as rejected. */
  approvalTimeoutSeconds: number;
  /** Approvers' email addresses (at least one). */
  approvers: string[];
  /** Who may sign in to the dashboard to see orders and executions (approvers see their own requests). */
  operators: string[];
  /** Where alarms are mailed (an SNS email subscription), if anywhere. */
  alarmEmail?: string;
  /** Encrypt the table, the saga's data and the logs with a customer-managed KMS key. */
  kms: boolean;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Reads {@link DeployConfig} from `env` (normally `process.env`). */
export function readDeployConfig(env: Readonly<Record<string, string | undefined>>): DeployConfig {
  const sender = env.COUNTERSIGN_SENDER?.trim();
  if (!sender) {
    throw new DeployConfigError(
      "COUNTERSIGN_SENDER is not set: export the SES sender address, e.g. COUNTERSIGN_SENDER=orders@example.com npx sst deploy",
    );
  }
  const approvers = (env.COUNTERSIGN_APPROVERS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (approvers.length === 0) {
    throw new DeployConfigError(
      "COUNTERSIGN_APPROVERS is not set: export who approves orders, e.g. COUNTERSIGN_APPROVERS=you@example.com npx sst deploy (the demo approvers exist only locally)",
    );
  }
  const bad = approvers.filter((a) => !EMAIL.test(a));
  if (bad.length > 0) {
    throw new DeployConfigError(
      `COUNTERSIGN_APPROVERS has invalid addresses (${bad.join(", ")}): use a comma-separated list of emails`,
    );
  }
  const operators = emails(env, "COUNTERSIGN_OPERATORS");
  const alarmEmail = env.COUNTERSIGN_ALARM_EMAIL?.trim() || undefined;
  if (alarmEmail && !EMAIL.test(alarmEmail)) {
    throw new DeployConfigError(
      `COUNTERSIGN_ALARM_EMAIL="${alarmEmail}" is not an email address: unset it or give one address`,
    );
  }
  return {
    sender,
    approvers,
    operators,
    ...(alarmEmail ? { alarmEmail } : {}),
    kms: flag(env, "COUNTERSIGN_KMS"),
    approvalThreshold: number(env, "COUNTERSIGN_APPROVAL_THRESHOLD", 500, (n) => n >= 0),
    approvalTimeoutSeconds: number(
      env,
      "COUNTERSIGN_APPROVAL_TIMEOUT_SECONDS",
      86_400,
      // The handlers refuse a Settings timeout past the approvals' limit (30 days by default).
      (n) => approvalTimeoutProblem(n, {}) === undefined,
    ),
  };
}

function number(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  ok: (n: number) => boolean,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !ok(n)) {
    throw new DeployConfigError(`${name}="${raw}" is out of range: unset it to use ${fallback}`);
  }
  return n;
}

/** An optional comma-separated list of addresses, lower-cased as sign-in compares them. */
function emails(env: Readonly<Record<string, string | undefined>>, name: string): string[] {
  const list = (env[name] ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((a) => !EMAIL.test(a));
  if (bad.length > 0) {
    throw new DeployConfigError(
      `${name} has invalid addresses (${bad.join(", ")}): use a comma-separated list of emails`,
    );
  }
  return [...new Set(list)];
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new DeployConfigError(`${name}="${env[name]}" must be 1 or 0 (true or false)`);
}
