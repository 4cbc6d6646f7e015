/**
 * What the CLI's commands do to an order saga and its table, whatever runs them: the local
 * platform (local-client.ts) or a deployed stage (stage-client.ts). Both are the AWS SDK over
 * Step Functions and DynamoDB — locally pointed at the platform's loopback servers, on a stage at
 * AWS with the user's credentials — so a command behaves the same against either.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { redact } from "../../functions/api/routes/execution-views.ts";
import { ApprovalStore } from "../../functions/approvals/store.ts";
import type { ApprovalRecord } from "../../functions/approvals/types.ts";
import {
  type ImportOptions,
  importCatalogue,
  type Product,
} from "../../functions/orders/catalogue.ts";
import { retryCompensation } from "../../functions/orders/compensation-retry.ts";
import { orderInputSchema } from "../../functions/orders/model.ts";
import { listOrders } from "../../functions/orders/order-list.ts";
import { cardNumberMessage, findCardNumber } from "../../functions/shared/card-numbers.ts";

/** A bad command-line input: names the field and the fix. */
export class CliInputError extends Error {
  override name = "CliInputError";
}

/** The resources a saga client works on. */
export interface SagaTarget {
  sfn: SFNClient;
  db: DynamoDBDocumentClient;
  table: string;
  stateMachineArn: string;
}

/** How a decision went, as the approver's confirm page would say it. */
export interface DecisionReport {
  status: number;
  message: string;
}

/** A history event as printed: dates as ISO strings, task tokens redacted. */
export type PrintedEvent = Omit<HistoryEvent, "timestamp"> & { timestamp?: string };

/**
 * Checks an order before anything is started, so a refused order leaves no execution (and no
 * history holding what was refused): a card number anywhere first, then the schema.
 */
export function checkOrder(order: unknown) {
  const card = findCardNumber(order);
  if (card) throw new CliInputError(`Order is refused: ${cardNumberMessage(card.field)}`);
  const parsed = orderInputSchema.safeParse(order);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliInputError(
      `Order is invalid: ${issue?.path.join(".") || "(order)"}: ${issue?.message} — fix the file and try again`,
    );
  }
  return parsed.data;
}

export abstract class SagaClient {
  readonly sfn: SFNClient;
  readonly db: DynamoDBDocumentClient;
  readonly table: string;
  readonly stateMachineArn: string;

  constructor(target: SagaTarget) {
    this.sfn = target.sfn;
    this.db = target.db;
    this.table = target.table;
    this.stateMachineArn = target.stateMachineArn;
  }

  /** What the client talks to, for messages: "the local platform in .countersign", "stage dev". */
  abstract readonly where: string;

  /** Decides an approval as one of its approvers. */
  abstract decide(
    approvalId: string,
    decision: "approve" | "reject",
    options?: { comment?: string; as?: string },
  ): Promise<DecisionReport>;

  /** Runs a request, turning transport and credential failures into errors that say what to do. */
  protected abstract call<T>(fn: () => Promise<T>): Promise<T>;

  /** Starts the saga for an order (the order id is the execution name, so a retry is idempotent). */
  async placeOrder(order: unknown): Promise<{ orderId: string; executionArn: string }> {
    const valid = checkOrder(order);
    const { orderId } = valid;
    const input = JSON.stringify(valid);
    try {
      const out = await this.call(() =>
        this.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: this.stateMachineArn,
            name: orderId,
            input,
          }),
        ),
      );
      return { orderId, executionArn: out.executionArn ?? "" };
    } catch (error) {
      if ((error as Error).name !== "ExecutionAlreadyExists") throw error;
      // Step Functions repeats a start only while the execution runs; once it has finished, the
      // same order placed again is still the same order, so report it instead of failing.
      const executionArn = this.stateMachineArn
        .replace(":stateMachine:", ":execution:")
        .concat(`:${orderId}`);
      const existing = await this.describeExecution(executionArn);
      if (existing.input === input) return { orderId, executionArn };
      throw new CliInputError(
        `Order ${orderId} was already placed with other contents (${executionArn}): give this order a new orderId`,
        { cause: error },
      );
    }
  }

  listOrders() {
    return this.call(() => listOrders({ db: this.db, table: this.table }, 100));
  }

  /** Runs a parked compensation again (functions/orders/compensation.ts). */
  retryCompensation(orderId: string) {
    return this.call(() =>
      retryCompensation({ db: this.db, table: this.table }, this.sfn, orderId),
    );
  }

  /** Approvals still waiting for a decision, oldest first, without their task tokens. */
  async pendingApprovals(): Promise<Omit<ApprovalRecord, "taskToken">[]> {
    // Every record the sweep index holds, whatever its due time (the index's largest time).
    const open = await this.call(() =>
      new ApprovalStore(this.db, this.table).due(new Date(8.64e15)),
    );
    return open
      .filter((a) => a.status === "PENDING")
      .map(({ taskToken: _secret, ...rest }) => rest);
  }

  /** The approval record (task token included: only for deciding, never printed). */
  protected approval(approvalId: string): Promise<ApprovalRecord | undefined> {
    return this.call(() => new ApprovalStore(this.db, this.table).get(approvalId));
  }

  listExecutions(status?: string) {
    return this.call(() =>
      this.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: this.stateMachineArn,
          ...(status ? { statusFilter: status as "RUNNING" } : {}),
          maxResults: 100,
        }),
      ),
    );
  }

  describeExecution(executionArn: string) {
    return this.call(() => this.sfn.send(new DescribeExecutionCommand({ executionArn })));
  }

  /**
   * Redrives a FAILED, TIMED_OUT or ABORTED execution of the saga, named by its ARN or by its
   * name (the saga's executions are named by order id, so a name is unambiguous).
   */
  redriveExecution(arnOrName: string) {
    const executionArn = arnOrName.startsWith("arn:")
      ? arnOrName
      : `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${arnOrName}`;
    return this.call(async () => ({
      executionArn,
      ...(await this.sfn.send(new RedriveExecutionCommand({ executionArn }))),
    }));
  }

  /**
   * Every event of an execution. The approval task's parameters carry its task token; it is
   * redacted here as in the dashboard's API, since a token in a terminal or a CI log is a token
   * anyone reading it could answer the task with.
   */
  async history(executionArn: string): Promise<PrintedEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(() =>
        this.sfn.send(
          new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
        ),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return redact(events) as PrintedEvent[];
  }

  /** Imports checked products into the target's table (catalogue.ts). */
  importCatalogue(products: readonly Product[], options: ImportOptions = {}) {
    return this.call(() => importCatalogue({ db: this.db, table: this.table }, products, options));
  }
}
