/**
 * What a handler's code can reach: the files it imports relatively, transitively (tests
 * excluded). Used by tests to check links and IAM grants against the code that needs them.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** Absolute paths of `entry` and every `.ts` file it imports relatively, transitively. */
export function reachableFiles(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.ts)"/g)) {
      if (!m[1]!.endsWith(".test.ts")) visit(path.resolve(path.dirname(file), m[1]!));
    }
  };
  visit(entry);
  return [...seen];
}

/**
 * The IAM actions each AWS SDK v3 command the handlers use needs (lib-dynamodb's document
 * commands map to the item actions they call; a transaction is authorised per item as that
 * item's action, so it needs the item actions our transactions use).
 */
export const COMMAND_ACTIONS: Readonly<Record<string, string | readonly string[]>> = {
  GetCommand: "dynamodb:GetItem",
  GetItemCommand: "dynamodb:GetItem",
  PutCommand: "dynamodb:PutItem",
  PutItemCommand: "dynamodb:PutItem",
  UpdateCommand: "dynamodb:UpdateItem",
  UpdateItemCommand: "dynamodb:UpdateItem",
  DeleteCommand: "dynamodb:DeleteItem",
  DeleteItemCommand: "dynamodb:DeleteItem",
  QueryCommand: "dynamodb:Query",
  ScanCommand: "dynamodb:Scan",
  BatchGetCommand: "dynamodb:BatchGetItem",
  BatchWriteCommand: "dynamodb:BatchWriteItem",
  TransactGetCommand: "dynamodb:GetItem",
  TransactWriteCommand: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
  CreateTableCommand: "dynamodb:CreateTable",
  DescribeTableCommand: "dynamodb:DescribeTable",
  UpdateTimeToLiveCommand: "dynamodb:UpdateTimeToLive",
  SendEmailCommand: "ses:SendEmail",
  SendRawEmailCommand: "ses:SendRawEmail",
  SendTaskSuccessCommand: "states:SendTaskSuccess",
  SendTaskFailureCommand: "states:SendTaskFailure",
  SendTaskHeartbeatCommand: "states:SendTaskHeartbeat",
  StartExecutionCommand: "states:StartExecution",
  ListExecutionsCommand: "states:ListExecutions",
  DescribeExecutionCommand: "states:DescribeExecution",
  RedriveExecutionCommand: "states:RedriveExecution",
  DescribeStateMachineCommand: "states:DescribeStateMachine",
  GetExecutionHistoryCommand: "states:GetExecutionHistory",
};

/** SDK commands constructed (`new XCommand(`) in a file. */
export function commandsIn(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/\bnew (\w+Command)\(/g)].map((m) => m[1]!);
}
