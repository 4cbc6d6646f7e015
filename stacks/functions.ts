/**
 * Every Lambda function of the topology (stacks/topology.ts) as an `sst.aws.Function`: its
 * handler, exactly its links (which grant nothing: see storage.ts and email.ts), its whole policy
 * document from the topology's statements (stacks/lib/policies.ts, the JSON the local runtime
 * enforces too), its environment, memory and timeout. Scheduled functions are built by their
 * `sst.aws.Cron` (cron.ts) from the same arguments.
 */
import { FUNCTION_DEFAULTS } from "./lib/function-defaults.ts";
import { handlerFor } from "./lib/naming.ts";
import { functionPolicy, type TopologyArns, toSstPermissions } from "./lib/policies.ts";
import {
  APPROVAL_FUNCTIONS,
  FUNCTIONS,
  type FunctionName,
  type FunctionSpec,
  type LinkName,
  SCHEDULES,
} from "./topology.ts";

/** All linkables, by their linked resource name. */
export type Links = Record<LinkName, sst.Linkable<Record<string, unknown>> | sst.Secret>;

/** What every function is built from. */
export interface FunctionInputs {
  links: Links;
  arns: $util.Input<TopologyArns>;
  /** The customer-managed key for log groups, when encryption with one is on. */
  keyArn?: $util.Input<string>;
  /** A function's spec (default: the topology's; the approvals component passes another app's). */
  spec?: (name: FunctionName) => FunctionSpec;
}

/** `sst.aws.Function` arguments for one function of the topology. */
export function functionArgs(name: FunctionName, inputs: FunctionInputs): sst.aws.FunctionArgs {
  const spec = inputs.spec?.(name) ?? FUNCTIONS[name];
  return {
    ...FUNCTION_DEFAULTS,
    handler: handlerFor(spec.handler),
    link: spec.links.map((l) => inputs.links[l]),
    permissions: $output(inputs.arns).apply((arns) => toSstPermissions(functionPolicy(spec, arns))),
    environment: { ...spec.environment },
    memory: `${spec.memoryMB} MB`,
    timeout: `${spec.timeoutSeconds} seconds`,
    transform: inputs.keyArn
      ? {
          logGroup: (args) => {
            args.kmsKeyId = inputs.keyArn;
          },
        }
      : undefined,
  };
}

/**
 * Creates every function that is neither run by a schedule nor the approvals component's
 * (stacks/approvals.ts); returns them by name.
 */
export function functions(inputs: FunctionInputs): Partial<Record<FunctionName, sst.aws.Function>> {
  const scheduled = new Set<FunctionName>([
    ...SCHEDULES.map((s) => s.function),
    ...APPROVAL_FUNCTIONS,
  ]);
  const out: Partial<Record<FunctionName, sst.aws.Function>> = {};
  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    if (scheduled.has(name)) continue;
    out[name] = new sst.aws.Function(name, functionArgs(name, inputs));
  }
  return out;
}

export { FUNCTION_DEFAULTS, LOG_RETENTION_DAYS } from "./lib/function-defaults.ts";
