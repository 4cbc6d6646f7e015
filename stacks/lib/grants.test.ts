/**
 * Least privilege must not break a handler at run time: every AWS SDK command a function's code
 * can issue needs an IAM action its links or saga grants give it. Commands on code paths a
 * function never takes are listed in {@link LAZY_COMMANDS}, with the functions that do take them.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_ACTIONS, commandsIn, reachableFiles } from "../../test/support/source-graph.ts";
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName } from "../topology.ts";

const root = path.resolve(import.meta.dirname, "../..");

const LAZY_COMMANDS: { file: string; command: string; usedBy: FunctionName[] }[] = [
  // Every email is built by simpleEmailCommand; among the order steps only NotifyCustomer sends
  // one (sesMailer().send), and approvals mail from RequestApproval, the API and the sweep.
  {
    file: "functions/shared/email-command.ts",
    command: "SendEmailCommand",
    usedBy: ["NotifyCustomer", "RequestApproval", "Api", "SendReminders"],
  },
  // Deciding (decide.ts: the API, and the sweep's re-delivery path) and sweeping (sweep.ts)
  // answer tasks with success or failure; requesting (request.ts) only fails a refused request.
  ...(["SendTaskSuccessCommand", "SendTaskFailureCommand"] as const).flatMap((command) =>
    ["functions/approvals/decide.ts", "functions/approvals/sweep.ts"].map((file) => ({
      file,
      command,
      usedBy: ["Api", "SendReminders"] as FunctionName[],
    })),
  ),
  {
    file: "functions/approvals/request.ts",
    command: "SendTaskFailureCommand",
    usedBy: ["RequestApproval", "Api", "SendReminders"],
  },
];

function granted(fn: FunctionName): Set<string> {
  return new Set(FUNCTIONS[fn].statements.flatMap((s) => s.actions));
}

function needed(fn: FunctionName): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of reachableFiles(path.join(root, FUNCTIONS[fn].handler))) {
    for (const command of commandsIn(file)) {
      const lazy = LAZY_COMMANDS.find((l) => file.endsWith(l.file) && l.command === command);
      if (lazy && !lazy.usedBy.includes(fn)) continue;
      const actions = COMMAND_ACTIONS[command] ?? `unknown SDK command ${command}`;
      for (const action of [actions].flat()) out.set(action, path.relative(root, file));
    }
  }
  return out;
}

describe("IAM grants against the SDK calls in each function's code", () => {
  for (const fn of FUNCTION_NAMES) {
    it(`cover every call ${fn} can make`, () => {
      const handler = path.join(root, FUNCTIONS[fn].handler);
      expect(existsSync(handler), `${FUNCTIONS[fn].handler} is missing`).toBe(true);
      const have = granted(fn);
      const missing = [...needed(fn)]
        .filter(([action]) => !have.has(action))
        .map(([action, file]) => `${action} (${file})`);
      expect(missing, `grant them in stacks/topology.ts or list the path in LAZY_COMMANDS`).toEqual(
        [],
      );
    });
  }

  it("give saga access only to the API and the reminder sweep, and RequestApproval only SendTaskFailure", () => {
    const states = (fn: FunctionName) =>
      FUNCTIONS[fn].statements.flatMap((s) => s.actions.filter((a) => a.startsWith("states:")));
    const withSaga = FUNCTION_NAMES.filter((fn) => states(fn).length > 0);
    expect(withSaga.sort()).toEqual(["Api", "RequestApproval", "SendReminders"]);
    expect(states("RequestApproval")).toEqual(["states:SendTaskFailure"]);
  });
});
