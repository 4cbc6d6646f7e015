/**
 * What the API app needs, injected: the approvals dependencies plus local-mode flags, the outbox
 * reader and the order saga's ARN. `createApp` knows nothing of Lambda or Node; the adapters build
 * these from linked resources (`depsFromResources`).
 */
import type { ApprovalDeps } from "../approvals/index.ts";
import { dynamo, email, stepFunctions } from "../shared/clients.ts";
import { resource } from "../shared/resources.ts";

/** One captured email of the local outbox (`GET /api/outbox`). */
export interface OutboxMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  at: string;
}

export interface ApiDeps extends ApprovalDeps {
  /** Local mode: enables `/api/outbox`, reported by `/api/config`. */
  local: boolean;
  /** Reads the local outbox (local only). */
  outbox?: () => Promise<OutboxMail[]>;
  /** The order saga state machine the executions routes list. */
  stateMachineArn?: string;
}

function optional<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Dependencies from linked resources (`Table`, `Email`, `SigningKey`, `Settings`, and when linked
 * `Api` and `OrderSaga` — RequestApproval has no `OrderSaga`) and the shared SDK clients, as on Lambda.
 */
export function depsFromResources(overrides: Partial<ApiDeps> = {}): ApiDeps {
  const base: ApiDeps = {
    db: dynamo(),
    table: resource("Table").name,
    sfn: stepFunctions(),
    ses: email(),
    sender: resource("Email").sender,
    signingKey: resource("SigningKey").value,
    clock: () => new Date(),
    settings: resource("Settings"),
    local: false,
  };
  const api = optional(() => resource("Api").url);
  const saga = optional(() => resource("OrderSaga").arn);
  if (api) base.baseUrl = api;
  if (saga) base.stateMachineArn = saga;
  return { ...base, ...overrides };
}
