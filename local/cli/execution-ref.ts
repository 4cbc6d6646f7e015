/**
 * What `executions describe|history` accept: an execution ARN, or the execution's name (the order
 * id, as `orders list` and `executions list` print it), or the start of a name when only one
 * execution's name starts that way — so a person types `ord-20261207` instead of an 80-character
 * ARN. A name that matches nothing or more than one execution is an error that says which.
 */
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { CliInputError } from "./errors.ts";

/** How many executions a prefix is looked for in (newest first): 10 pages of the API's maximum. */
export const PREFIX_SCAN_LIMIT = 10_000;
/** How many of the executions a prefix matches an "ambiguous" error names. */
const SHOWN = 5;

export interface ExecutionScope {
  sfn: SFNClient;
  stateMachineArn: string;
  /** "the local platform in .countersign", "stage dev (eu-west-1)". */
  where: string;
  /** Runs a request with the client's transport and credential advice. */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

/** The ARN of the execution `name` of `stateMachineArn` (Step Functions' own naming). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}

/** The execution ARN `ref` stands for in `scope`'s state machine. */
export async function resolveExecution(scope: ExecutionScope, ref: string): Promise<string> {
  if (ref.startsWith("arn:")) return ref;
  const exact = executionArnOf(scope.stateMachineArn, ref);
  const found = await scope
    .call(() => scope.sfn.send(new DescribeExecutionCommand({ executionArn: exact })))
    .then(
      () => true,
      (error: Error) => {
        if (error.name === "ExecutionDoesNotExist" || error.name === "InvalidArn") return false;
        throw error;
      },
    );
  if (found) return exact;

  const { matches, scanned, complete } = await executionsStartingWith(scope, ref);
  if (matches.length === 1) return matches[0]?.executionArn as string;
  if (matches.length === 0) {
    const searched = complete ? "" : ` (searched the newest ${scanned})`;
    throw new CliInputError(
      `No execution is named "${ref}" or starts with it in ${scope.where}${searched}: list them with \`executions list\`, or pass the execution ARN`,
    );
  }
  const shown = matches.slice(0, SHOWN).map((e) => e.name);
  const more = matches.length > SHOWN ? `, … (${matches.length - SHOWN} more)` : "";
  throw new CliInputError(
    `"${ref}" is ambiguous: ${matches.length} executions start with it (${shown.join(", ")}${more}): pass a whole name or the execution ARN`,
  );
}

async function executionsStartingWith(
  scope: ExecutionScope,
  prefix: string,
): Promise<{ matches: ExecutionListItem[]; scanned: number; complete: boolean }> {
  const matches: ExecutionListItem[] = [];
  let scanned = 0;
  let nextToken: string | undefined;
  do {
    const page = await scope.call(() =>
      scope.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: scope.stateMachineArn,
          maxResults: 1000,
          nextToken,
        }),
      ),
    );
    const items = page.executions ?? [];
    scanned += items.length;
    matches.push(...items.filter((e) => e.name?.startsWith(prefix)));
    nextToken = page.nextToken;
  } while (nextToken && scanned < PREFIX_SCAN_LIMIT);
  return { matches, scanned, complete: !nextToken };
}
