/**
 * Names shared by the stacks and their tests: the saga's task functions, the
 * ASL placeholder each one fills, and AWS physical names that must respect service limits.
 * Plain data and functions, no SST or Pulumi imports, so tests run without the platform.
 */
import { NamingError } from "./errors.ts";

/** The Lambda functions the order saga invokes, keyed by their SST / local function name. */
export const TASK_FUNCTIONS = {
  ValidateOrder: "functions/validate-order.ts",
  ReserveStock: "functions/reserve-stock.ts",
  RequestApproval: "functions/request-approval.ts",
  ChargePayment: "functions/charge-payment.ts",
  ShipOrder: "functions/ship-order.ts",
  NotifyCustomer: "functions/notify-customer.ts",
  RefundPayment: "functions/refund-payment.ts",
  ReleaseStock: "functions/release-stock.ts",
  MarkOrderFailed: "functions/mark-order-failed.ts",
} as const;

/** Name of a task function invoked by a state machine. */
export type TaskFunctionName = keyof typeof TASK_FUNCTIONS;

/** Every task function name, in contract order. */
export const TASK_FUNCTION_NAMES = Object.keys(TASK_FUNCTIONS) as TaskFunctionName[];

/** Functions that are not saga tasks: the approval API and the reminder job. */
export const OTHER_FUNCTIONS = {
  Api: "functions/api/lambda.ts",
  SendReminders: "functions/send-reminders.ts",
} as const;

/** Every function the app deploys. */
export type FunctionName = TaskFunctionName | keyof typeof OTHER_FUNCTIONS;

/** The ASL placeholder (without `${}`) that a task function's ARN fills: `ReserveStockFunctionArn`. */
export function placeholderFor(name: TaskFunctionName): string {
  return `${name}FunctionArn`;
}

/**
 * SST's handler string for a source file: `functions/reserve-stock.ts` → `functions/reserve-stock.handler`.
 * Every handler file exports `handler`.
 */
export function handlerFor(file: string): string {
  if (!file.endsWith(".ts")) {
    throw new NamingError(`handler file "${file}" must be a .ts file under functions/`);
  }
  return `${file.slice(0, -".ts".length)}.handler`;
}

/**
 * A physical name `<app>-<stage>-<name>` cut to `max` characters, keeping only the characters
 * Step Functions and CloudWatch Logs accept (letters, digits, `-`, `_`). The stage is kept whole
 * because it is what tells two deployments apart.
 */
export function physicalName(app: string, stage: string, name: string, max = 80): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "-");
  const [a, s, n] = [clean(app), clean(stage), clean(name)];
  if (s.length + n.length + 2 > max) {
    throw new NamingError(
      `stage "${stage}" with resource "${name}" exceeds ${max} characters: use a shorter --stage`,
    );
  }
  const room = max - s.length - n.length - 2;
  return `${a.slice(0, room)}-${s}-${n}`;
}

/**
 * The log group for a state machine. Step Functions' docs recommend the `/aws/vendedlogs/states/`
 * prefix so that CloudWatch Logs' resource policy does not grow with every log group
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
 */
export function stateMachineLogGroupName(app: string, stage: string, machine: string): string {
  return `/aws/vendedlogs/states/${physicalName(app, stage, machine, 512 - 23)}`;
}
