/**
 * Executions of the order saga, proxied from the Step Functions API through the injected client
 * (on AWS the real service, locally the Countersign runtime's wire API), in the shapes of
 * `execution-views.ts`: ISO dates, parsed JSON, task tokens redacted. `POST …/redrive` redrives a
 * failed, timed-out or aborted execution of the saga (RedriveExecution; session + CSRF token).
 */
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { Hono } from "hono";
import * as z from "zod";
import { ApprovalsError, NotFoundError, type SessionService } from "../../approvals/index.ts";
import { requireCsrf, type SessionEnv } from "../middleware/session.ts";
import { valid } from "../validation.ts";
import {
  type ExecutionSummary,
  type HistoryEventView,
  parseJson,
  toExecutionDescription,
  toExecutionSummary,
  toHistoryEventView,
} from "./execution-views.ts";

const MAX_LIST = 1000;
const MAX_EVENTS = 25_000;

const listQuery = z.object({
  status: z.enum(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]).optional(),
  q: z.string().max(200).optional(),
});
const arnParam = z.object({
  executionArn: z
    .string()
    .max(2048)
    .regex(/^arn:[^:]+:states:/, { error: "must be a Step Functions execution ARN (URL-encoded)" }),
});

class SagaNotLinkedError extends ApprovalsError {
  override name = "SagaNotLinkedError";
  override readonly status = 503;
  override readonly title = "Order saga not linked";
}

/** Step Functions' ExecutionNotRedrivable: the message says why (SUCCEEDED, RUNNING, too old). */
class NotRedrivableError extends ApprovalsError {
  override name = "NotRedrivableError";
  override readonly status = 409;
  override readonly title = "Execution cannot be redriven";
}

function mapSfnError(err: unknown): never {
  const name = (err as { name?: string }).name ?? "";
  if (name === "ExecutionDoesNotExist" || name === "StateMachineDoesNotExist") {
    throw new NotFoundError(`No such execution or state machine (${name}).`, { cause: err });
  }
  if (name === "InvalidArn")
    throw new NotFoundError("That is not a valid execution ARN.", { cause: err });
  if (name === "ExecutionNotRedrivable")
    throw new NotRedrivableError((err as Error).message, { cause: err });
  throw err;
}

export function executionRoutes(
  sfn: SFNClient,
  stateMachineArn: string | undefined,
  sessions: SessionService,
) {
  const saga = () => {
    if (!stateMachineArn)
      throw new SagaNotLinkedError("Link the OrderSaga resource (SST_RESOURCE_OrderSaga locally).");
    return stateMachineArn;
  };

  return new Hono<SessionEnv>()
    .get("/api/executions", valid("query", listQuery), async (c) => {
      const { status, q } = c.req.valid("query");
      const items: ExecutionSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn
          .send(
            new ListExecutionsCommand({
              stateMachineArn: saga(),
              ...(status ? { statusFilter: status } : {}),
              maxResults: 100,
              nextToken,
            }),
          )
          .catch(mapSfnError);
        for (const e of page.executions ?? []) {
          if (q && !(e.name ?? "").includes(q)) continue;
          items.push(toExecutionSummary(e));
        }
        nextToken = page.nextToken;
      } while (nextToken && items.length < MAX_LIST);
      return c.json({ items: items.slice(0, MAX_LIST) });
    })
    .get("/api/executions/:executionArn", valid("param", arnParam), async (c) => {
      const executionArn = c.req.valid("param").executionArn;
      const exec = await sfn
        .send(new DescribeExecutionCommand({ executionArn }))
        .catch(mapSfnError);
      const machine = await sfn
        .send(new DescribeStateMachineCommand({ stateMachineArn: exec.stateMachineArn }))
        .catch(mapSfnError);
      return c.json({
        execution: toExecutionDescription(exec),
        /** The ASL definition (parsed JSON), drawn as the graph. */
        definition: parseJson(machine.definition),
      });
    })
    .get("/api/executions/:executionArn/history", valid("param", arnParam), async (c) => {
      const executionArn = c.req.valid("param").executionArn;
      const events: HistoryEventView[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn
          .send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }))
          .catch(mapSfnError);
        events.push(...(page.events ?? []).map(toHistoryEventView));
        nextToken = page.nextToken;
      } while (nextToken && events.length < MAX_EVENTS);
      return c.json({ events });
    })
    .post(
      "/api/executions/:executionArn/redrive",
      requireCsrf(sessions),
      valid("param", arnParam),
      async (c) => {
        const executionArn = c.req.valid("param").executionArn;
        // Only the saga's executions: this route is the dashboard's, not a general proxy.
        const exec = await sfn
          .send(new DescribeExecutionCommand({ executionArn }))
          .catch(mapSfnError);
        if (exec.stateMachineArn !== saga()) {
          throw new NotFoundError("No such execution of the order saga.");
        }
        const out = await sfn
          .send(new RedriveExecutionCommand({ executionArn }))
          .catch(mapSfnError);
        return c.json({ executionArn, redriveDate: (out.redriveDate ?? new Date()).toISOString() });
      },
    );
}
