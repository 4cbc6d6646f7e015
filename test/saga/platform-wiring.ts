/**
 * The topology's functions wired as `npm start` wires them, for the saga fault runs (the property
 * test and `npm run soak`): every link the platform delivers (localLinks), each handler run as its
 * function with exactly its links and its IAM policy enforced (loadFunctions), the Api function's
 * scope for the approval pages. One wiring per process: handlers keep per-process state (the SDK
 * clients, RequestApproval's service with its Settings), as a warm Lambda does.
 *
 * Several runtimes may be open at once (soak runs batches side by side), and AWS authorises
 * SendTaskSuccess against the state machine that issued the token; the IAM check asks every open
 * runtime whose token it is.
 */
import { randomBytes } from "node:crypto";
import { localLinks } from "../../local/platform/environment.ts";
import {
  functionScope,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalWiring,
  loadFunctions,
  localArns,
  localStateMachineArn,
} from "../../local/platform/functions.ts";
import type { FunctionScope } from "../../local/platform/scope.ts";
import type { FunctionMap, SfnRuntime } from "../../local/sfn/index.ts";

export { LOCAL_ACCOUNT, LOCAL_REGION };

/** The one approver of every fault run; the requester (the customer) is never an approver. */
export const APPROVER = "approver@countersign.test";

/**
 * The public base URL in approval links. The pages are served in-process by the Api's Hono app
 * (SagaWorld.fetch), so no port is needed; the host only has to match between link and form.
 */
export const API_BASE = "http://approvals.countersign.test";

/** The saga's state machine, named as in the topology so the Api's policy covers its tokens. */
export const SAGA_NAME = "OrderSaga";

const openRuntimes = new Set<SfnRuntime>();

/** Makes `runtime`'s task tokens known to the IAM check until `forget` is called. */
export function registerRuntime(runtime: SfnRuntime): () => void {
  openRuntimes.add(runtime);
  return () => openRuntimes.delete(runtime);
}

function tokenStateMachine(token: string): string | undefined {
  for (const runtime of openRuntimes) {
    const machine = runtime.taskTokenStateMachine(token);
    if (machine) return machine;
  }
  return undefined;
}

let wiring: LocalWiring | undefined;

/**
 * The process's wiring, on the table and sender in the environment (test/setup-env.ts or the
 * soak script), with the platform's default approval settings: threshold 1,000, a 24-hour
 * timeout. Orders choose their own threshold per order (execution input), as tests and demos do.
 */
export function platformWiring(): LocalWiring {
  if (wiring) return wiring;
  const table = (JSON.parse(process.env.SST_RESOURCE_Table ?? "{}") as { name?: string }).name;
  const sender = (JSON.parse(process.env.SST_RESOURCE_Email ?? "{}") as { sender?: string }).sender;
  if (!table || !sender) {
    throw new Error("SST_RESOURCE_Table and SST_RESOURCE_Email must be set (test/setup-env.ts)");
  }
  wiring = {
    links: localLinks(
      { dynamodb: "", ses: "", stepFunctions: "", api: API_BASE },
      {
        table,
        sender,
        signingKey: randomBytes(32).toString("base64url"),
        stateMachineArn: localStateMachineArn(SAGA_NAME),
        approvers: [APPROVER],
        operators: [],
        approvalThreshold: 1000,
        approvalTimeoutSeconds: 24 * 60 * 60,
      },
    ),
    arns: localArns({ table, sender }),
    tokenStateMachine,
  };
  return wiring;
}

let handlers: Promise<FunctionMap> | undefined;

/** Every function the saga invokes, RequestApproval included, loaded once per process. */
export function sagaFunctions(): Promise<FunctionMap> {
  handlers ??= loadFunctions(platformWiring());
  return handlers;
}

/** The scope the approval API runs in (its links, its policy), as the platform serves it. */
export function apiScope(): FunctionScope {
  return functionScope("Api", platformWiring());
}
