/**
 * The topology's functions, locally: each handler file imported in-process and registered under
 * its function name (so `arn:aws:lambda:us-east-1:000000000000:function:<Name>` resolves to it),
 * with the memory and timeout the topology gives it, and every invocation run as that function
 * (scope.ts): exactly its links and environment, and its SDK calls checked against its policy
 * document (stacks/lib/policies.ts, the JSON the stacks attach) by iam/sdk-guard.ts.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { functionPolicy, type TopologyArns } from "../../stacks/lib/policies.ts";
import { APP_ROOT, definitionSource, renderDefinition } from "../../stacks/lib/state-machines.ts";
import {
  type FunctionName,
  type LinkName,
  STATE_MACHINE_NAMES,
  type StateMachineSpec,
  TOPOLOGY,
  type Topology,
} from "../../stacks/topology.ts";
import type { FunctionMap, Handler } from "../sfn/index.ts";
import { PolicyAuthorizer } from "./iam/authorizer.ts";
import { installSdkGuard } from "./iam/sdk-guard.ts";
import { type FunctionScope, installScoping, runAs } from "./scope.ts";

export const LOCAL_ACCOUNT = "000000000000";
export const LOCAL_REGION = "us-east-1";

/** A local function's ARN. */
export function localFunctionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
}

/** A local state machine's ARN. */
export function localStateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
}

/** The ARNs the local resources have, for the policies: the table, the sender's identity, the saga. */
export function localArns(args: { table: string; sender: string }): TopologyArns {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
  return {
    table: arn("dynamodb", `table/${args.table}`),
    emailIdentity: arn("ses", `identity/${args.sender}`),
    emailConfigurationSet: arn("ses", "configuration-set/countersign-local"),
    orderSaga: localStateMachineArn("OrderSaga"),
    approvalCallers: STATE_MACHINE_NAMES.map(localStateMachineArn),
  };
}

/** What local functions are wired to. */
export interface LocalWiring {
  /** Link values by name (what SST would deliver); a function gets only those it links. */
  links: Partial<Record<LinkName, unknown>>;
  arns: TopologyArns;
  /** The description to wire; the app's own by default (tests pass altered copies). */
  topology?: Topology;
  /** The state machine a task token belongs to (the runtime's hook), for SendTask* checks. */
  tokenStateMachine?: (token: string) => string | undefined;
}

/** The scope one function runs in: its links, Lambda's variables and its environment, its policy. */
export function functionScope(name: FunctionName, wiring: LocalWiring): FunctionScope {
  const spec = (wiring.topology ?? TOPOLOGY).functions[name];
  const resources: Record<string, unknown> = { App: { name: "countersign", stage: "local" } };
  for (const link of spec.links) {
    if (wiring.links[link] !== undefined) resources[link] = wiring.links[link];
  }
  const principal = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/countersign-local-${name}-role/${name}`;
  const authorizer = new PolicyAuthorizer(
    principal,
    functionPolicy(spec, wiring.arns),
    LOCAL_ACCOUNT,
  );
  installScoping();
  installSdkGuard({ accountId: LOCAL_ACCOUNT, tokenStateMachine: wiring.tokenStateMachine });
  return {
    name,
    resources,
    environment: {
      ...spec.environment,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMB),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    },
    authorize: (request) => authorizer.authorize(request),
  };
}

/** A handler that runs as `scope` each time it is invoked. */
export function scoped<H extends (...args: never[]) => unknown>(
  scope: FunctionScope,
  handler: H,
): H {
  return ((...args: Parameters<H>) => runAs(scope, () => handler(...args))) as H;
}

/**
 * Imports the handlers of `names` (default: every function the state machines invoke) and returns
 * them as the runtime's function map, each scoped as its function.
 */
export async function loadFunctions(
  wiring: LocalWiring,
  names: readonly FunctionName[] = stateMachineTasks(wiring.topology ?? TOPOLOGY),
  root: string = APP_ROOT,
): Promise<FunctionMap> {
  installScoping();
  const topology = wiring.topology ?? TOPOLOGY;
  const entries = await Promise.all(
    names.map(async (name) => {
      const spec = topology.functions[name];
      const mod = (await import(pathToFileURL(join(root, spec.handler)).href)) as {
        handler: Handler;
      };
      const scope = functionScope(name, wiring);
      const handler: Handler = (event, context) => runAs(scope, () => mod.handler(event, context));
      return [
        name,
        { handler, timeoutSeconds: spec.timeoutSeconds, memoryMB: spec.memoryMB },
      ] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Every function some state machine invokes, once, in declaration order. */
export function stateMachineTasks(topology: Topology = TOPOLOGY): FunctionName[] {
  return [...new Set(topology.stateMachines.flatMap((m) => m.tasks))];
}

/** A state machine's definition with the local functions' ARNs, read and filled like the stacks do. */
export function localDefinition(
  machine: StateMachineSpec = TOPOLOGY.stateMachines[0]!,
  root: string = APP_ROOT,
): string {
  return renderDefinition(definitionSource(machine, root), machine, localFunctionArn);
}
