/**
 * The linked resources every handler reads, through SST's `Resource` — on Lambda SST injects them;
 * locally the runtime sets the same `SST_RESOURCE_<Name>` variables. Read lazily, so a process can
 * set its environment before the first handler runs; validated, so a missing link is a clear error
 * naming the variable to set instead of an `undefined` deep inside a handler.
 */
import { Resource } from "sst";
import * as z from "zod";

const schemas = {
  /** The single DynamoDB table (sst.aws.Dynamo). */
  Table: z.object({ name: z.string().min(1) }),
  /** The SES identity mail is sent from (sst.aws.Email). */
  Email: z.object({ sender: z.string().min(1) }),
  /** HMAC key for approval links, magic links and sessions (sst.Secret). */
  SigningKey: z.object({ value: z.string().min(32) }),
  /** Public base URL of the approval API, for links in emails (sst.Linkable). */
  Api: z.object({ url: z.string().url() }),
  /** The order saga state machine (sst.Linkable over the raw aws.sfn.StateMachine). */
  OrderSaga: z.object({ arn: z.string().min(1) }),
  /**
   * Business settings (sst.Linkable): approval threshold, timeout and its limit (checked where
   * the timeout is used: functions/shared/approval-timeout.ts), who approves and operates, in
   * whose name approvals are asked.
   */
  Settings: z.object({
    approvalThreshold: z.number().nonnegative(),
    /** Above this total two approvers must approve (default 10,000). */
    dualApprovalThreshold: z.number().nonnegative().optional(),
    approvalTimeoutSeconds: z.number().int().positive(),
    /** The longest an approval may wait (default 30 days). */
    maxApprovalTimeoutSeconds: z.number().int().positive().optional(),
    approvers: z.array(z.string()).default([]),
    /** Who may see orders and executions in the dashboard. */
    operators: z.array(z.string()).default([]),
    /** In whose name the order saga asks for approval (default: the Email sender). */
    requester: z.email().optional(),
  }),
} as const;

export type ResourceName = keyof typeof schemas;
export type LinkedResource<N extends ResourceName> = z.infer<(typeof schemas)[N]>;

/** A linked resource this process was not given. */
export class ResourceNotLinkedError extends Error {
  override name = "ResourceNotLinkedError";
}

/** Returns the linked resource `name`, validated. */
export function resource<N extends ResourceName>(name: N): LinkedResource<N> {
  let raw: unknown;
  try {
    raw = (Resource as unknown as Record<string, unknown>)[name];
  } catch (cause) {
    throw new ResourceNotLinkedError(
      `Resource "${name}" is not linked: link it in stacks/ (on AWS) or set SST_RESOURCE_${name} (locally)`,
      { cause },
    );
  }
  const parsed = schemas[name].safeParse(raw);
  if (!parsed.success) {
    throw new ResourceNotLinkedError(
      `Resource "${name}" is malformed (SST_RESOURCE_${name}): ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data as LinkedResource<N>;
}
