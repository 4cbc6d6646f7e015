/**
 * Executions of the order saga, proxied from the Step Functions API through the injected client
 * (on AWS the real service, locally the Countersign runtime's wire API). Dates become ISO strings,
 * JSON strings become JSON, and any `taskToken` field is redacted — history events carry the
 * approval task's parameters, and the token must never leave the server.
 */
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { Hono } from "hono";
import * as z from "zod";
import { ApprovalsError, NotFoundError } from "../../approvals/index.ts";
import { valid } from "../validation.ts";

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

const REDACTED = "[redacted]";

/** Replaces task tokens anywhere in a value, including inside JSON-encoded strings. */
export function redact(value: unknown): unknown {
  if (typeof value === "string") {
    const t = value.trimStart();
    if ((t.startsWith("{") || t.startsWith("[")) && /task_?token/i.test(value)) {
      try {
        return JSON.stringify(redact(JSON.parse(value)));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "$metadata")
        .map(([k, v]) => [k, /^task_?token$/i.test(k) ? REDACTED : redact(v)]),
    );
  }
  return value;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function mapSfnError(err: unknown): never {
  const name = (err as { name?: string }).name ?? "";
  if (name === "ExecutionDoesNotExist" || name === "StateMachineDoesNotExist") {
    throw new NotFoundError(`No such execution or state machine (${name}).`, { cause: err });
  }
  if (name === "InvalidArn")
    throw new NotFoundError("That is not a valid execution ARN.", { cause: err });
  throw err;
}

export function executionRoutes(sfn: SFNClient, stateMachineArn: string | undefined): Hono {
  const app = new Hono();
  const saga = () => {
    if (!stateMachineArn)
      throw new SagaNotLinkedError("Link the OrderSaga resource (SST_RESOURCE_OrderSaga locally).");
    return stateMachineArn;
  };

  app.get("/api/executions", valid("query", listQuery), async (c) => {
    const { status, q } = c.req.valid("query");
    const items = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn
        .send(
          new ListExecutionsCommand({
            stateMachineArn: saga(),
            ...(status ? { statusFilter: status as ExecutionStatus } : {}),
            maxResults: 100,
            nextToken,
          }),
        )
        .catch(mapSfnError);
      for (const e of page.executions ?? []) {
        if (q && !(e.name ?? "").includes(q)) continue;
        items.push({
          executionArn: e.executionArn,
          name: e.name,
          status: e.status,
          startDate: e.startDate?.toISOString(),
          ...(e.stopDate ? { stopDate: e.stopDate.toISOString() } : {}),
          stateMachineArn: e.stateMachineArn,
        });
      }
      nextToken = page.nextToken;
    } while (nextToken && items.length < MAX_LIST);
    return c.json({ items: items.slice(0, MAX_LIST) });
  });

  app.get("/api/executions/:executionArn", valid("param", arnParam), async (c) => {
    const executionArn = c.req.valid("param").executionArn;
    const exec = await sfn.send(new DescribeExecutionCommand({ executionArn })).catch(mapSfnError);
    const machine = await sfn
      .send(new DescribeStateMachineCommand({ stateMachineArn: exec.stateMachineArn }))
      .catch(mapSfnError);
    const execution = redact({
      ...exec,
      input: parseJson(exec.input),
      output: parseJson(exec.output),
    });
    return c.json({ execution, definition: parseJson(machine.definition) });
  });

  app.get("/api/executions/:executionArn/history", valid("param", arnParam), async (c) => {
    const executionArn = c.req.valid("param").executionArn;
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn
        .send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }))
        .catch(mapSfnError);
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken && events.length < MAX_EVENTS);
    return c.json({ events: redact(events) });
  });

  return app;
}
