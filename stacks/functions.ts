/**
 * The saga's task functions, one `sst.aws.Function` per handler file, each linked
 * only to the resources its handler reads (`lib/links.ts`).
 */
import { type LinkName, linksFor } from "./lib/links.ts";
import { handlerFor, TASK_FUNCTIONS, type TaskFunctionName } from "./lib/naming.ts";

/**
 * Settings every function shares: Node 22 on Graviton, logs kept a month, and the AWS SDK v3 taken
 * from the Lambda runtime rather than bundled, which keeps the API bundle at ~160 KB instead of
 * ~590 KB (bench: `api.bundleKB`).
 */
export const FUNCTION_DEFAULTS = {
  runtime: "nodejs22.x",
  nodejs: { esbuild: { external: ["@aws-sdk/*"] as string[] } },
  architecture: "arm64",
  memory: "512 MB",
  timeout: "30 seconds",
  logging: { retention: "1 month" },
} as const;

/** All linkables, by their linked resource name. */
export type Links = Record<LinkName, sst.Linkable<Record<string, unknown>> | sst.Secret>;

/** Creates every task function; returns them by name. */
export function taskFunctions(links: Partial<Links>): Record<TaskFunctionName, sst.aws.Function> {
  const entries = (Object.keys(TASK_FUNCTIONS) as TaskFunctionName[]).map((name) => [
    name,
    new sst.aws.Function(name, {
      ...FUNCTION_DEFAULTS,
      handler: handlerFor(TASK_FUNCTIONS[name]),
      link: linksFor(name, links),
    }),
  ]);
  return Object.fromEntries(entries) as Record<TaskFunctionName, sst.aws.Function>;
}

/** The functions' ARNs by task name, for the saga's placeholders. */
export function arnsOf(
  fns: Record<TaskFunctionName, sst.aws.Function>,
): Record<TaskFunctionName, $util.Output<string>> {
  const names = Object.keys(fns) as TaskFunctionName[];
  return Object.fromEntries(names.map((n) => [n, fns[n].arn])) as Record<
    TaskFunctionName,
    $util.Output<string>
  >;
}
