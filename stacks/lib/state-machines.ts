/**
 * The state machines the app deploys, each from an ASL file in `stacks/` that the local runtime
 * runs too, and the functions whose ARNs fill its placeholders.
 */
// The loader's own file, not functions/orders/index.ts: it is dependency-free by design, while the
// index pulls the domain and the AWS SDK into SST's bundle of sst.config.ts.
import { fillPlaceholders } from "../../functions/orders/saga-definition.ts";
import { DeployConfigError } from "./errors.ts";
import { placeholderFor, TASK_FUNCTION_NAMES, type TaskFunctionName } from "./naming.ts";

/** A deployed state machine: its name (also its linked resource name) and definition file. */
export interface StateMachineSpec {
  name: string;
  /** File name under `stacks/`. */
  file: string;
  /** The task functions its placeholders name. */
  tasks: readonly TaskFunctionName[];
}

/** Every state machine; each `stacks/*.asl.json` appears here exactly once (tested). */
export const STATE_MACHINES: readonly StateMachineSpec[] = [
  { name: "OrderSaga", file: "order-saga.asl.json", tasks: TASK_FUNCTION_NAMES },
];

/** The placeholder → ARN map for a machine's task functions. */
export function placeholderValues(
  tasks: readonly TaskFunctionName[],
  arns: Readonly<Partial<Record<TaskFunctionName, string>>>,
): Record<string, string> {
  return Object.fromEntries(
    tasks.map((name) => {
      const arn = arns[name];
      if (!arn)
        throw new DeployConfigError(
          `no ARN for task function ${name}: create it in stacks/functions.ts`,
        );
      return [placeholderFor(name), arn];
    }),
  );
}

/**
 * The definition Step Functions receives: the ASL file's text with every placeholder filled by
 * the same filler the local platform uses (functions/orders/saga-definition.ts). Throws its
 * `PlaceholderError` when the file and the machine's task list disagree.
 */
export function renderDefinition(
  aslText: string,
  tasks: readonly TaskFunctionName[],
  arns: Readonly<Partial<Record<TaskFunctionName, string>>>,
): string {
  return fillPlaceholders(aslText, placeholderValues(tasks, arns));
}
