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
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { redact } from "../../functions/api/routes/execution-views.ts";
import { ApprovalStore } from "../../functions/approvals/store.ts";
import { type ApprovalRecord, statusAt } from "../../functions/approvals/types.ts";
import {
  type ImportOptions,
  importCatalogue,
  type Product,
} from "../../functions/orders/catalogue.ts";
import { retryCompensation } from "../../functions/orders/compensation-retry.ts";
import { keys, orderInputSchema } from "../../functions/orders/model.ts";
import { checkOrder } from "../../functions/orders/order-check.ts";
import { listOrders } from "../../functions/orders/order-list.ts";
import { CARD_NUMBER_REFUSAL, findCardNumber } from "../../functions/shared/card-numbers.ts";
import { CliInputError, OrderRefusedError } from "./errors.ts";
import { executionArnOf, resolveExecution } from "./execution-ref.ts";

/**
 * What placing an order did: `started` when this call started the saga; otherwise the order was
 * placed before (a repeat), and its execution's and order's status say where it is.
 */
export interface PlacedOrder {
  orderId: string;
  executionArn: string;
  started: boolean;
  executionStatus?: string;
  /** The order record's status; `NOT_RECORDED` before ValidateOrder has recorded it. */
  orderStatus?: string;
  failureReason?: string;
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

  /**
   * Places an order: checks it as ValidateOrder will (schema and catalogue, every problem at
   * once) and starts the saga with the order id as the execution name. The same order placed
   * again — running or finished — is reported as the repeat it is, with the existing order's
   * status, and starts nothing; other contents under a used order id are refused. A refused
   * order starts nothing, so no history ever holds it.
   */
  async placeOrder(order: unknown): Promise<PlacedOrder> {
    // First, and even when the order id was used before: an order holding a card number is
    // refused as what it is, and never compared with, or sent to, anything.
    const card = findCardNumber(order);
    if (card)
      throw new OrderRefusedError([
        { field: card.field || "(order)", message: CARD_NUMBER_REFUSAL },
      ]);
    const parsed = orderInputSchema.safeParse(order);
    const orderId = parsed.success ? parsed.data.orderId : undefined;
    // Step Functions answers a repeated start of a *running* execution with its ARN as if it
    // were new, so a repeat is recognised by looking first.
    if (orderId) {
      const repeat = await this.existingOrder(orderId, JSON.stringify(parsed.data));
      if (repeat) return repeat;
    }
    const checked = await this.call(() => checkOrder(this, order));
    if (!checked.ok) throw new OrderRefusedError(checked.issues);
    const input = JSON.stringify(checked.input);
    try {
      const out = await this.call(() =>
        this.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: this.stateMachineArn,
            name: checked.input.orderId,
            input,
          }),
        ),
      );
      return {
        orderId: checked.input.orderId,
        executionArn: out.executionArn ?? "",
        started: true,
      };
    } catch (error) {
      // Placed by someone else between the look and the start.
      if ((error as Error).name !== "ExecutionAlreadyExists") throw error;
      const repeat = await this.existingOrder(checked.input.orderId, input);
      if (repeat) return repeat;
      throw error;
    }
  }

  /**
   * The order placed earlier under `orderId`, as a repeat when `input` is what it was placed
   * with; undefined when there is none; refused when the id was used for other contents.
   */
  private async existingOrder(orderId: string, input: string): Promise<PlacedOrder | undefined> {
    const executionArn = executionArnOf(this.stateMachineArn, orderId);
    const existing = await this.describeExecution(executionArn).catch((error: Error) => {
      if (error.name === "ExecutionDoesNotExist") return undefined;
      throw error;
    });
    if (!existing) return undefined;
    if (existing.input !== input) {
      throw new CliInputError(
        `Order ${orderId} was already placed with other contents (${executionArn}): give this order a new orderId`,
      );
    }
    const { Item } = await this.call(() =>
      this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: keys.order(orderId),
          ProjectionExpression: "#status, failureReason",
          ExpressionAttributeNames: { "#status": "status" },
        }),
      ),
    );
    return {
      orderId,
      executionArn,
      started: false,
      executionStatus: existing.status ?? "UNKNOWN",
      // No order record yet: ValidateOrder has not run (or refused the order).
      orderStatus: (Item?.status as string | undefined) ?? "NOT_RECORDED",
      ...(Item?.failureReason ? { failureReason: Item.failureReason as string } : {}),
    };
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
    // Past its expiry a request is no longer waiting, even before the sweep has written EXPIRED:
    // the list agrees with the dashboard (viewAt) and the link's page from the second it expires.
    const now = Date.now();
    return open
      .filter((a) => statusAt(a, now) === "PENDING")
      .map(({ taskToken: _secret, ...rest }) => rest);
  }

  /**
   * The request to decide and who decides it: `as`, or the first approver who has not voted and
   * is not the requester (who may never approve their own request).
   */
  protected async decider(
    approvalId: string,
    as: string | undefined,
  ): Promise<{ rec: ApprovalRecord; by: string }> {
    const rec = await this.approval(approvalId);
    if (!rec)
      throw new CliInputError(`No approval ${approvalId}: list them with \`approvals list\``);
    const voted = new Set(rec.approvals.map((a) => a.by));
    const by = as ?? rec.approvers.find((a) => !voted.has(a) && a !== rec.requester);
    if (!by) throw new CliInputError(`Every approver of ${approvalId} has already voted`);
    return { rec, by };
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

  /** The execution ARN for what a person typed: an ARN, a name, or the unique start of one. */
  resolveExecution(ref: string): Promise<string> {
    return resolveExecution(
      {
        sfn: this.sfn,
        stateMachineArn: this.stateMachineArn,
        where: this.where,
        call: (fn) => this.call(fn),
      },
      ref,
    );
  }

  /** Redrives a FAILED, TIMED_OUT or ABORTED execution of the saga (an ARN from resolveExecution). */
  redriveExecution(executionArn: string) {
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
