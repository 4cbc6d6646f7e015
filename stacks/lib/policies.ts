/**
 * A function's IAM policy document, from the topology's statements and the ARNs of one deployment
 * (the stacks) or of one local run (local/platform): the one JSON both attach and enforce. With a
 * customer-managed KMS key, a function that uses the table or calls the saga may also use the key,
 * only through that service (`kms:ViaService`), as DynamoDB and Step Functions document for
 * customer-managed keys.
 */
import type { ArnRef, FunctionSpec } from "../topology.ts";
import { InvalidArnError } from "./errors.ts";
import { executionArnPattern, type PolicyDocument, type Statement } from "./iam.ts";

/** The ARNs statements are resolved against. */
export interface TopologyArns {
  /** The single table. */
  table: string;
  /** The sender's SES identity (its region and account scope the `identity/*` grant). */
  emailIdentity: string;
  /** The SES configuration set mail is sent with. */
  emailConfigurationSet: string;
  /** The order saga (absent in another app that adds only the approvals component). */
  orderSaga?: string;
  /** The state machines whose approval tasks the approvals answer. */
  approvalCallers: string[];
  /** The customer-managed key, when encryption with one is on. */
  key?: string;
}

/** The ARNs (or patterns) an {@link ArnRef} stands for. */
export function resolveArns(ref: ArnRef, arns: TopologyArns): string[] {
  if (ref === "ApprovalCallers") {
    if (arns.approvalCallers.length === 0)
      throw new InvalidArnError(
        "approvalCallers is empty: name the state machines that ask for approval",
      );
    return arns.approvalCallers;
  }
  return [resolveArn(ref, arns)];
}

/** The ARN (or pattern) a single-resource {@link ArnRef} stands for. */
export function resolveArn(ref: Exclude<ArnRef, "ApprovalCallers">, arns: TopologyArns): string {
  const saga = () => {
    if (!arns.orderSaga)
      throw new InvalidArnError(`${ref} is named but this app has no order saga`);
    return arns.orderSaga;
  };
  switch (ref) {
    case "Table":
      return arns.table;
    case "Table/index/*":
      return `${arns.table}/index/*`;
    case "Email/identity/*":
      return `${identityPrefix(arns.emailIdentity)}:identity/*`;
    case "Email/configuration-set":
      return arns.emailConfigurationSet;
    case "OrderSaga":
      return saga();
    case "OrderSaga/execution/*":
      return executionArnPattern(saga());
  }
}

function identityPrefix(identityArn: string): string {
  const at = identityArn.indexOf(":identity/");
  if (at < 0) {
    throw new InvalidArnError(
      `emailIdentity "${identityArn}" is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<name>)`,
    );
  }
  return identityArn.slice(0, at);
}

/** The function's whole policy document. */
export function functionPolicy(
  fn: Pick<FunctionSpec, "statements">,
  arns: TopologyArns,
): PolicyDocument {
  const statements: Statement[] = fn.statements.map((s) => ({
    Sid: s.sid,
    Effect: "Allow",
    Action: [...s.actions],
    Resource: s.resources.flatMap((r) => resolveArns(r, arns)),
  }));
  if (arns.key) statements.push(...keyStatements(fn, arns.key, regionOf(arns.table)));
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Use of the customer-managed key by the services the function calls: DynamoDB encrypts and
 * decrypts items with it on the caller's behalf, Step Functions its executions' data (start,
 * describe, history, task answers).
 */
function keyStatements(
  fn: Pick<FunctionSpec, "statements">,
  key: string,
  region: string,
): Statement[] {
  const refs = new Set(fn.statements.flatMap((s) => s.resources));
  const via = (service: string, sid: string, actions: string[]): Statement => ({
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: [key],
    Condition: { StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com` } },
  });
  const out: Statement[] = [];
  if (refs.has("Table")) {
    out.push(
      via("dynamodb", "UseTableKey", [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
      ]),
    );
  }
  if (refs.has("OrderSaga") || refs.has("OrderSaga/execution/*") || refs.has("ApprovalCallers")) {
    out.push(via("states", "UseSagaKey", ["kms:Decrypt", "kms:GenerateDataKey"]));
  }
  return out;
}

/** The region of an ARN (`arn:aws:dynamodb:<region>:...`). */
export function regionOf(arn: string): string {
  const region = arn.split(":")[3];
  if (!arn.startsWith("arn:") || !region) {
    throw new InvalidArnError(
      `"${arn}" is not a regional ARN (arn:<partition>:<service>:<region>:...)`,
    );
  }
  return region;
}

/** A statement as SST's `permissions` take it (`sst.aws.Function`), which SST renders back to the same JSON. */
export interface SstPermission {
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** A policy document as SST `permissions`. */
export function toSstPermissions(policy: PolicyDocument): SstPermission[] {
  return policy.Statement.map((s) => {
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([test, keys]) =>
      Object.entries(keys).map(([variable, v]) => ({
        test,
        variable,
        values: Array.isArray(v) ? v : [v],
      })),
    );
    return {
      actions: [...s.Action],
      resources: [...s.Resource],
      ...(conditions.length ? { conditions } : {}),
    };
  });
}
