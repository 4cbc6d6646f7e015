/**
 * Least privilege must not break a handler at run time: every AWS SDK command a function's code
 * can issue needs an IAM action its links or saga grants give it. Commands on code paths a
 * function never takes are listed in {@link LAZY_COMMANDS}, with the functions that do take them.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTION_LINKS, LINK_ACTIONS, SAGA_GRANTS } from "./links.ts";
import { type FunctionName, OTHER_FUNCTIONS, TASK_FUNCTIONS } from "./naming.ts";
import { COMMAND_ACTIONS, commandsIn, reachableFiles } from "./source-graph.ts";

const root = path.resolve(import.meta.dirname, "../..");
const files: Record<FunctionName, string> = { ...TASK_FUNCTIONS, ...OTHER_FUNCTIONS };
const SAGA = "arn:aws:states:us-east-1:123456789012:stateMachine:countersign-ci-OrderSaga";

const LAZY_COMMANDS: { file: string; command: string; usedBy: FunctionName[] }[] = [
  // Every email is built by simpleEmailCommand; among the order steps only NotifyCustomer sends
  // one (sesMailer().send), and approvals mail from RequestApproval, the API and the sweep.
  {
    file: "functions/shared/email-command.ts",
    command: "SendEmailCommand",
    usedBy: ["NotifyCustomer", "RequestApproval", "Api", "SendReminders"],
  },
  // ApprovalService answers tasks when deciding (API) and sweeping (reminders), not when requesting.
  ...(["SendTaskSuccessCommand", "SendTaskFailureCommand"] as const).map((command) => ({
    file: "functions/approvals/service.ts",
    command,
    usedBy: ["Api", "SendReminders"] as FunctionName[],
  })),
];

function granted(fn: FunctionName): Set<string> {
  return new Set([
    ...FUNCTION_LINKS[fn].flatMap((link) => LINK_ACTIONS[link]),
    ...(SAGA_GRANTS[fn]?.(SAGA) ?? []).flatMap((s) => s.Action),
  ]);
}

function needed(fn: FunctionName): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of reachableFiles(path.join(root, files[fn]))) {
    for (const command of commandsIn(file)) {
      const lazy = LAZY_COMMANDS.find((l) => file.endsWith(l.file) && l.command === command);
      if (lazy && !lazy.usedBy.includes(fn)) continue;
      const action = COMMAND_ACTIONS[command];
      out.set(action ?? `unknown SDK command ${command}`, path.relative(root, file));
    }
  }
  return out;
}

describe("IAM grants against the SDK calls in each function's code", () => {
  for (const fn of Object.keys(files) as FunctionName[]) {
    it.runIf(existsSync(path.join(root, files[fn])))(`cover every call ${fn} can make`, () => {
      const have = granted(fn);
      const missing = [...needed(fn)]
        .filter(([action]) => !have.has(action))
        .map(([action, file]) => `${action} (${file})`);
      expect(
        missing,
        `grant them in stacks/lib/links.ts or list the path in LAZY_COMMANDS`,
      ).toEqual([]);
    });
  }

  it("give saga access only to the API and the reminder sweep", () => {
    expect(Object.keys(SAGA_GRANTS).sort()).toEqual(["Api", "SendReminders"]);
  });
});
