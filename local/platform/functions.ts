/**
 * The Lambda handlers the local runtime runs in-process: the same files SST deploys
 * (`stacks/lib/naming.ts` lists them), registered under their function names so the local ARNs
 * `arn:aws:lambda:us-east-1:000000000000:function:<Name>` resolve to them.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { TASK_FUNCTIONS, type TaskFunctionName } from "../../stacks/lib/naming.ts";
import type { FunctionMap, Handler } from "../sfn/index.ts";

export const LOCAL_ACCOUNT = "000000000000";
export const LOCAL_REGION = "us-east-1";

export function localFunctionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
}

/** Imports every task handler; call after the environment is set (handlers read it lazily). */
export async function loadTaskFunctions(root: string): Promise<FunctionMap> {
  const entries = await Promise.all(
    (Object.entries(TASK_FUNCTIONS) as [TaskFunctionName, string][]).map(async ([name, file]) => {
      const mod = (await import(pathToFileURL(join(root, file)).href)) as { handler: Handler };
      return [name, { handler: mod.handler, timeoutSeconds: 30 }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Placeholder values for the ASL files: every task function's local ARN. */
export function localFunctionArns(): Record<TaskFunctionName, string> {
  return Object.fromEntries(
    Object.keys(TASK_FUNCTIONS).map((name) => [name, localFunctionArn(name)]),
  ) as Record<TaskFunctionName, string>;
}
