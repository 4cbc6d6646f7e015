/**
 * `CountersignApprovals`: the approvals as one SST component any app can add — the approval API
 * (links, confirm pages, dashboard routes) behind a router, its table, its mail identity, its
 * signing key, the RequestApproval task and the reminder/escalation sweep — built from the same
 * topology entries (stacks/topology.ts) as this app's own stacks, which use it too. A state
 * machine adds an approval step with a `.waitForTaskToken` task on `requestTaskArn` that sends the
 * request contract (functions/approvals/contract.ts); emailed links point at `link`.
 *
 * ```ts
 * const approvals = new CountersignApprovals("Approvals", {
 *   approvers: ["lead@example.com"], sender: "approvals@example.com",
 * });
 * new aws.sfn.StateMachine("Deploy", { roleArn: role.arn, definition: $jsonStringify({
 *   StartAt: "Approve", QueryLanguage: "JSONata", States: { Approve: {
 *     Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", End: true,
 *     Arguments: { FunctionName: approvals.requestTaskArn, Payload: {
 *       taskToken: "{% $states.context.Task.Token %}", title: "Deploy to production?",
 *       summary: [{ type: "text", label: "Version", value: "{% $states.input.version %}" }] } } } } }) });
 * ```
 * The state machine's role needs `lambda:InvokeFunction` on `requestTaskArn`. By default the
 * approvals may answer the tasks of every state machine of this app and stage
 * (`<app>-<stage>-*`); `callers` narrows that to named ARNs. Component children keep the topology's
 * names (`Api`, `RequestApproval`, `SendReminders`, `Settings`…), so an app adds it once.
 */

import { apiRoutes } from "./api.ts";
import { schedules } from "./cron.ts";
import { email } from "./email.ts";
import { type FunctionInputs, functionArgs, type Links } from "./functions.ts";
import { physicalName } from "./lib/naming.ts";
import type { TopologyArns } from "./lib/policies.ts";
import { secrets } from "./secrets.ts";
import { apiUrl } from "./settings.ts";
import { storage } from "./storage.ts";
import { APPROVAL_FUNCTIONS, FUNCTIONS, standaloneSpec } from "./topology.ts";

export interface CountersignApprovalsArgs {
  /** Who is asked when a request names no approvers. */
  approvers: string[];
  /** The From address of every email (an SES identity is created for it). */
  sender: string;
  /** Named groups a request may name instead of addresses. */
  groups?: Record<string, string[]>;
  /** Who may see every open request and reassign one (and, in this app, orders). */
  operators?: string[];
  /** In whose name workflows without an authenticated caller ask. */
  requester?: string;
  approvalTimeoutSeconds?: number;
  /** Where requests are also announced (signed JSON POSTs, functions/approvals/webhook.ts). */
  webhookUrl?: string;
  /** More properties of the `Settings` link (this app's order thresholds). */
  settings?: Record<string, unknown>;
  /** The state machines whose approval tasks may be answered (default: this app and stage's). */
  callers?: $util.Input<string>[];
  /** A table to share (single-table design); default: one of its own. */
  storage?: ReturnType<typeof storage>;
  /** A router to serve the API on (its URL is `link`); default: one of its own. */
  router?: sst.aws.Router;
  /** The order saga, when the app has one: the API then links it and shows its executions. */
  orderSaga?: { link: sst.Linkable<Record<string, unknown>>; arn: $util.Input<string> };
  /** A customer-managed KMS key for the table and log groups. */
  keyArn?: $util.Input<string>;
}

export class CountersignApprovals extends $util.ComponentResource {
  /** The RequestApproval function's ARN, for a `.waitForTaskToken` task. */
  readonly requestTaskArn: $util.Output<string>;
  /** The public base URL emailed links point at. */
  readonly link: $util.Output<string>;
  /** Every link the approvals' functions use (an app's own functions may link them too). */
  readonly links: Links;
  /** The ARNs their policies name. */
  readonly arns: $util.Output<TopologyArns>;
  readonly api: sst.aws.Function;
  readonly requestTask: sst.aws.Function;
  readonly reminders: ReturnType<typeof schedules>[number];
  readonly storage: ReturnType<typeof storage>;
  readonly email: ReturnType<typeof email>;
  readonly router: sst.aws.Router;

  constructor(name: string, args: CountersignApprovalsArgs, opts?: $util.ComponentResourceOptions) {
    super("countersign:aws:Approvals", name, {}, opts);
    this.storage = args.storage ?? storage({ keyArn: args.keyArn });
    this.email = email(args.sender);
    this.router = args.router ?? new sst.aws.Router(`${name}Web`);
    const properties: Record<string, unknown> = {
      ...args.settings,
      approvers: args.approvers,
      operators: args.operators ?? [],
      ...(args.approvalTimeoutSeconds
        ? { approvalTimeoutSeconds: args.approvalTimeoutSeconds }
        : {}),
      ...(args.groups ? { groups: args.groups } : {}),
      ...(args.requester ? { requester: args.requester } : {}),
      ...(args.webhookUrl ? { webhookUrl: args.webhookUrl } : {}),
    };
    const settingsLink = new sst.Linkable("Settings", { properties });
    this.links = {
      Table: this.storage.link,
      Email: this.email.link,
      SigningKey: secrets().signingKey,
      Settings: settingsLink,
      Api: apiUrl(this.router.url),
      ...(args.orderSaga ? { OrderSaga: args.orderSaga.link } : {}),
    } as Links;
    const callers = args.callers ?? [appStateMachines()];
    this.arns = $resolve({
      table: this.storage.table.arn,
      emailIdentity: this.email.identityArn,
      emailConfigurationSet: this.email.configurationSetArn,
      approvalCallers: $resolve(callers),
      ...(args.orderSaga ? { orderSaga: args.orderSaga.arn } : {}),
      ...(args.keyArn ? { key: args.keyArn } : {}),
    }) as $util.Output<TopologyArns>;
    const inputs: FunctionInputs = {
      links: this.links,
      arns: this.arns,
      keyArn: args.keyArn,
      // Without an order saga, the API neither links it nor may read its executions.
      spec: args.orderSaga ? (n) => FUNCTIONS[n] : (n) => standaloneSpec(n as never),
    };
    this.requestTask = new sst.aws.Function(
      "RequestApproval",
      functionArgs("RequestApproval", inputs),
    );
    this.api = new sst.aws.Function("Api", { ...functionArgs("Api", inputs), url: true });
    apiRoutes({ api: this.api, router: this.router });
    const [reminders] = schedules(inputs);
    this.reminders = reminders!;
    this.requestTaskArn = this.requestTask.arn;
    this.link = this.router.url;
    this.registerOutputs({ requestTaskArn: this.requestTaskArn, link: this.link });
  }
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<app>-<stage>-*` */
function appStateMachines(): $util.Output<string> {
  return $resolve([
    aws.getPartitionOutput().partition,
    aws.getRegionOutput().region,
    aws.getCallerIdentityOutput().accountId,
  ]).apply(
    ([partition, region, account]) =>
      `arn:${partition}:states:${region}:${account}:stateMachine:${physicalName($app.name, $app.stage, "x").slice(0, -1)}*`,
  );
}

/** The functions the component builds (the app's own stacks build the rest). */
export const COMPONENT_FUNCTIONS = APPROVAL_FUNCTIONS;
