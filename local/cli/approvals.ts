/**
 * `countersign approvals list|decide|audit|webhook-key`, on the local platform or a deployed
 * stage (audit.ts has the ledger commands).
 */
import type { Command } from "commander";
import type * as Approvals from "../../functions/approvals/index.ts";
import { signingKey } from "../platform/data-dir.ts";
import { registerAuditCommands } from "./audit.ts";
import { CliInputError } from "./errors.ts";
import { print } from "./output.ts";
import { connect, type TargetOptions, targetOptions } from "./target.ts";

/**
 * Approval ids made before ids got their "a" prefix are bare base64url, so about one in 64 starts
 * with "-", which commander would take for an unknown option: a first argument shaped like an id
 * is always the id (`approvals decide -Xb3… approve` works as printed by `approvals list`).
 */
function idArgumentFirst(command: Command): void {
  const parse = command.parseOptions.bind(command);
  command.parseOptions = (args: string[]) => {
    const [first, ...rest] = args;
    const known = command.options.some((o) => o.long === first || o.short === first);
    if (first === undefined || known || !/^-[A-Za-z0-9_-]{15,}$/.test(first)) return parse(args);
    const parsed = parse(rest);
    return { operands: [first, ...parsed.operands], unknown: parsed.unknown };
  };
}

/** The approvals domain, loaded when a command uses it (not for `--help` or other commands). */
const approvalsLib = (): Promise<typeof Approvals> => import("../../functions/approvals/index.ts");

export function registerApprovalCommands(program: Command): void {
  const approvals = program.command("approvals").description("list and decide approvals");
  const list = approvals.command("list").description("approvals waiting for a decision");
  targetOptions(list).action(async (o: TargetOptions) => {
    const items = await (await connect(list, o)).pendingApprovals();
    if (o.json) return print(items);
    if (items.length === 0) return console.log("No approvals are waiting.");
    const { fieldText, quorumText } = await approvalsLib();
    const { formatDateTime } = await import("../../functions/shared/format.ts");
    for (const a of items) {
      // The first money field is what most requests are about (a total, an amount).
      const money = a.summary.find((f) => f.type === "money");
      console.log(
        `${a.approvalId}  ${a.title}${money ? `  ${fieldText(money)}` : ""}  ${quorumText(a)}  approvers ${a.approvers.join(", ")}  expires ${formatDateTime(a.expiresAt)}`,
      );
    }
  });

  const decide = approvals
    .command("decide")
    .description(
      "approve or reject: locally through the signed link and form an approver uses; on a stage as the approvals API does, with your AWS credentials",
    )
    .argument("<id>", "approval id (from `approvals list`)")
    .argument("<decision>", "approve | reject")
    .option("--comment <text>", "comment recorded with the decision")
    .option("--as <email>", "decide as this approver (default: the first who has not voted)");
  targetOptions(decide).action(
    async (id: string, decision: string, o: TargetOptions & { comment?: string; as?: string }) => {
      if (decision !== "approve" && decision !== "reject")
        throw new CliInputError(`decision must be "approve" or "reject", got "${decision}"`);
      const result = await (await connect(decide, o)).decide(id, decision, {
        ...(o.comment !== undefined ? { comment: o.comment } : {}),
        ...(o.as !== undefined ? { as: o.as } : {}),
      });
      const failed = result.status >= 400;
      if (o.json) print(result);
      else if (failed) console.error(`countersign: ${result.message || `HTTP ${result.status}`}`);
      else console.log(result.message || `HTTP ${result.status}`);
      if (failed) process.exitCode = 1;
    },
  );
  idArgumentFirst(decide);
  registerAuditCommands(approvals);

  const webhookKey = approvals
    .command("webhook-key")
    .description(
      "print the key a webhook receiver checks X-Countersign-Signature with (derived from the signing key)",
    );
  targetOptions(webhookKey).action(async (o: TargetOptions) => {
    const key = o.stage === undefined ? signingKey(o.dataDir) : process.env.COUNTERSIGN_SIGNING_KEY;
    if (!key)
      throw new CliInputError(
        "A stage's signing key is its SST secret: run with COUNTERSIGN_SIGNING_KEY=$(npx sst secret list …) set",
      );
    const { Signer } = await approvalsLib();
    console.log(new Signer(key).webhookKeyHex());
  });
}
