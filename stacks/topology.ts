/**
 * The app, described once: every function (handler, links, IAM statements, environment, memory,
 * timeout), every state machine (ASL file, task → function), the schedule and the API routes.
 * `stacks/` builds the AWS resources from it and `local/platform` the local runtime, so a function
 * gets the same links and the same policy document in both places (stacks/topology.test.ts).
 *
 * Plain data, no SST, Pulumi or AWS SDK imports: sst.config.ts, local code and tests all load it.
 * ARNs are not known here; statements name resources by {@link ArnRef} and
 * `stacks/lib/policies.ts` turns them into a policy document once the ARNs are known.
 */

/** The linked resources handlers read through SST's `Resource` (functions/shared/resources.ts). */
export const LINK_NAMES = ["Table", "Email", "SigningKey", "Api", "OrderSaga", "Settings"] as const;

/** The state machines' names (each also an {@link ArnRef}). */
export const STATE_MACHINE_NAMES = ["OrderSaga", "ExpenseApproval"] as const;
export type StateMachineName = (typeof STATE_MACHINE_NAMES)[number];

/** A linked resource name. */
export type LinkName = (typeof LINK_NAMES)[number];

/**
 * A resource a statement may name, resolved to an ARN per deployment (stacks) or per local run:
 * the table and its indexes, the account's SES identities in the sender's region and the
 * configuration set, the order saga and its executions, and every workflow whose approval tasks
 * the approvals answer (here the order saga and the expense approval; in another app, its own).
 */
export type ArnRef =
  | "Table"
  | "Table/index/*"
  | "Email/identity/*"
  | "Email/configuration-set"
  | "OrderSaga"
  | "OrderSaga/execution/*"
  | "ApprovalCallers";

/** One IAM statement of a function's policy, with resources by reference. */
export interface StatementSpec {
  sid: string;
  actions: readonly string[];
  resources: readonly ArnRef[];
}

/** A Lambda function. */
export interface FunctionSpec {
  /** Handler source file, relative to the app root; it exports `handler`. */
  handler: string;
  /** Resources linked to it: only these are in its `Resource` (and its environment). */
  links: readonly LinkName[];
  /** Its whole IAM policy (links grant nothing by themselves). */
  statements: readonly StatementSpec[];
  /** Environment variables besides SST's link variables. */
  environment: Readonly<Record<string, string>>;
  memoryMB: number;
  timeoutSeconds: number;
  /** Why it needs what it has (rendered in docs and test messages). */
  purpose: string;
}

/** A Step Functions state machine from an ASL file whose `${<Task>FunctionArn}` placeholders name functions. */
export interface StateMachineSpec {
  /** Its name (the order saga's is also a linked resource name). */
  name: StateMachineName;
  /** ASL file relative to the app root. */
  definition: string;
  /** The functions its Task states invoke; each fills the placeholder `${<Name>FunctionArn}`. */
  tasks: readonly FunctionName[];
}

/** A function run on a schedule (EventBridge), with retries and a dead-letter queue on AWS. */
export interface ScheduleSpec {
  name: string;
  function: FunctionName;
  /** EventBridge schedule expression. */
  expression: `rate(${string})` | `cron(${string})`;
  /** How often EventBridge retries a failed delivery before it goes to the dead-letter queue. */
  retryAttempts: number;
  /** How long EventBridge keeps retrying one event. */
  maximumEventAgeSeconds: number;
}

// --- statements ---------------------------------------------------------------------------------

/**
 * Data-plane access to the single table and its indexes: item reads and writes, queries, and the
 * item actions transactions are authorised as (a TransactWriteItems needs PutItem, UpdateItem,
 * DeleteItem or ConditionCheckItem on each item's table; TransactGetItems needs GetItem). No
 * scans, no table management.
 */
const USE_TABLE: StatementSpec = {
  sid: "UseTable",
  actions: [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
  ],
  resources: ["Table", "Table/index/*"],
};

/**
 * Sending mail. SES authorises SendEmail against the sender's identity and the configuration set
 * and, in the sandbox, each recipient's verified identity: hence the account's identities in the
 * sender's region rather than `"*"`.
 */
const SEND_MAIL: StatementSpec = {
  sid: "SendMail",
  actions: ["ses:SendEmail", "ses:SendRawEmail"],
  resources: ["Email/identity/*", "Email/configuration-set"],
};

/**
 * Answering the approval tasks of every workflow that asks for approval. Step Functions
 * authorises SendTask* against the state machine that issued the token (its
 * AccessDeniedException names `...:stateMachine:<name>`).
 */
const ANSWER_TASKS: StatementSpec = {
  sid: "AnswerApprovalTasks",
  actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
  resources: ["ApprovalCallers"],
};

/**
 * Failing an approval task whose request breaks the contract, at once (`Approval.InvalidRequest`):
 * RequestApproval answers nothing else.
 */
const FAIL_REFUSED_REQUESTS: StatementSpec = {
  sid: "FailRefusedApprovalRequests",
  actions: ["states:SendTaskFailure"],
  resources: ["ApprovalCallers"],
};

/** Listing the saga's executions and reading its definition (dashboard). */
const READ_SAGA: StatementSpec = {
  sid: "ReadSaga",
  actions: ["states:ListExecutions", "states:DescribeStateMachine"],
  resources: ["OrderSaga"],
};

/** Reading one execution and its history (dashboard). */
const READ_EXECUTIONS: StatementSpec = {
  sid: "ReadSagaExecutions",
  actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
  resources: ["OrderSaga/execution/*"],
};

/**
 * Redriving a failed execution from the dashboard (an operator's Redrive button). AWS's
 * "Restarting state machine executions with redrive" grants `states:RedriveExecution` on the
 * state machine's executions.
 */
const REDRIVE_EXECUTIONS: StatementSpec = {
  sid: "RedriveSagaExecutions",
  actions: ["states:RedriveExecution"],
  resources: ["OrderSaga/execution/*"],
};

// --- functions ----------------------------------------------------------------------------------

const TASK = { environment: {}, memoryMB: 512, timeoutSeconds: 30 } as const;

/**
 * Every function. The order of keys is the order of the saga's tasks, then the rest. A saga task
 * never links `OrderSaga`: the definition holds the task's ARN, so the task holding the machine's
 * ARN would be a dependency cycle.
 */
export const FUNCTIONS = {
  ValidateOrder: {
    ...TASK,
    handler: "functions/validate-order.ts",
    links: ["Table", "Settings"],
    statements: [USE_TABLE],
    purpose: "checks and prices the order against the catalogue and the approval settings",
  },
  ReserveStock: {
    ...TASK,
    handler: "functions/reserve-stock.ts",
    links: ["Table"],
    statements: [USE_TABLE],
    purpose: "reserves every line in one transaction",
  },
  RequestApproval: {
    ...TASK,
    handler: "functions/request-approval.ts",
    links: ["Table", "Email", "SigningKey", "Api", "Settings"],
    statements: [USE_TABLE, SEND_MAIL, FAIL_REFUSED_REQUESTS],
    purpose:
      "stores the approval and its task token, mails each approver a signed link, fails a request that breaks the contract",
  },
  ChargePayment: {
    ...TASK,
    handler: "functions/charge-payment.ts",
    links: ["Table"],
    statements: [USE_TABLE],
    purpose: "charges the order once",
  },
  ShipOrder: {
    ...TASK,
    handler: "functions/ship-order.ts",
    links: ["Table"],
    statements: [USE_TABLE],
    purpose: "books the parcel",
  },
  NotifyCustomer: {
    ...TASK,
    handler: "functions/notify-customer.ts",
    links: ["Table", "Email"],
    statements: [USE_TABLE, SEND_MAIL],
    purpose: "mails the customer the outcome",
  },
  RefundPayment: {
    ...TASK,
    handler: "functions/refund-payment.ts",
    links: ["Table"],
    statements: [USE_TABLE],
    purpose: "refunds the charge (compensation)",
  },
  ReleaseStock: {
    ...TASK,
    handler: "functions/release-stock.ts",
    links: ["Table"],
    statements: [USE_TABLE],
    purpose: "returns reserved stock (compensation)",
  },
  MarkOrderFailed: {
    ...TASK,
    handler: "functions/mark-order-failed.ts",
    links: ["Table"],
    statements: [USE_TABLE],
    purpose: "records the failure and its reason",
  },
  SendReminders: {
    ...TASK,
    handler: "functions/send-reminders.ts",
    links: ["Table", "Email", "SigningKey", "Api", "OrderSaga", "Settings"],
    statements: [USE_TABLE, SEND_MAIL, ANSWER_TASKS],
    timeoutSeconds: 75, // each run sweeps at due times for its minute (send-reminders.ts)
    purpose: "re-mails approvers before expiry, ends expired waits, re-delivers decisions",
  },
  Api: {
    ...TASK,
    handler: "functions/api/lambda.ts",
    links: ["Table", "Email", "SigningKey", "Api", "OrderSaga", "Settings"],
    statements: [
      USE_TABLE,
      SEND_MAIL,
      ANSWER_TASKS,
      READ_SAGA,
      READ_EXECUTIONS,
      REDRIVE_EXECUTIONS,
    ],
    memoryMB: 1024,
    purpose: "the approval API and the dashboard's JSON routes",
  },
} as const satisfies Record<string, FunctionSpec>;

/**
 * The approvals' own functions: what the `CountersignApprovals` component (stacks/approvals.ts)
 * deploys, in this app and in any other that adds it.
 */
export const APPROVAL_FUNCTIONS = ["RequestApproval", "SendReminders", "Api"] as const;

/**
 * A function as another app deploys it through the component: the approval API without this
 * app's order saga (no `OrderSaga` link, no reading its executions).
 */
export function standaloneSpec(name: (typeof APPROVAL_FUNCTIONS)[number]): FunctionSpec {
  const spec: FunctionSpec = FUNCTIONS[name];
  return {
    ...spec,
    links: spec.links.filter((l) => l !== "OrderSaga"),
    statements: spec.statements.filter(
      (s) => !s.resources.some((r) => r === "OrderSaga" || r === "OrderSaga/execution/*"),
    ),
  };
}

/** A function's name, as SST names its component and the local runtime its ARN. */
export type FunctionName = keyof typeof FUNCTIONS;

/** Every function name, in declaration order. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** The state machines. */
export const STATE_MACHINES: readonly StateMachineSpec[] = [
  {
    name: "OrderSaga",
    definition: "stacks/order-saga.asl.json",
    tasks: [
      "ValidateOrder",
      "ReserveStock",
      "RequestApproval",
      "ChargePayment",
      "ShipOrder",
      "NotifyCustomer",
      "RefundPayment",
      "ReleaseStock",
      "MarkOrderFailed",
    ],
  },
  {
    name: "ExpenseApproval",
    definition: "stacks/expense-approval.asl.json",
    tasks: ["RequestApproval"],
  },
];

/** The reminder sweep; a reminder goes out once per approval (the handler's rule). */
export const SCHEDULES: readonly ScheduleSpec[] = [
  {
    name: "SendReminders",
    function: "SendReminders",
    // Every minute: each run waits for the reminders and expiries due within its minute
    // (functions/send-reminders.ts), and an idle minute is one short invocation.
    expression: "rate(1 minute)",
    retryAttempts: 3,
    // A missed event is superseded by the next minute's run.
    maximumEventAgeSeconds: 60,
  },
];

/**
 * The path prefixes the approval API owns on the origin it shares with the dashboard: the router
 * sends these to the API's function URL, everything else to the static site.
 */
export const API_ROUTES = {
  function: "Api",
  prefixes: ["/api", "/auth", "/approvals"],
} as const satisfies { function: FunctionName; prefixes: readonly string[] };

/** The whole description, as one value tests can copy and alter. */
export interface Topology {
  functions: Readonly<Record<FunctionName, FunctionSpec>>;
  stateMachines: readonly StateMachineSpec[];
  schedules: readonly ScheduleSpec[];
  routes: { function: FunctionName; prefixes: readonly string[] };
}

/** The app's topology. */
export const TOPOLOGY: Topology = {
  functions: FUNCTIONS,
  stateMachines: STATE_MACHINES,
  schedules: SCHEDULES,
  routes: API_ROUTES,
};

/** The ASL placeholder (without `${}`) a task function's ARN fills: `ReserveStockFunctionArn`. */
export function placeholderFor(name: FunctionName): string {
  return `${name}FunctionArn`;
}

/** Whether a request path goes to the API rather than the dashboard (whole path segments only). */
export function isApiRoute(path: string, routes: Topology["routes"] = API_ROUTES): boolean {
  return routes.prefixes.some((p) => path === p || path.startsWith(`${p}/`));
}
