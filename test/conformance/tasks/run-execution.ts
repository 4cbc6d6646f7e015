/**
 * Runs one execution case of the task corpus through the wire API: creates what its `setup` asks
 * (state machines, DynamoDB tables and items), creates its state machine, starts it
 * (StartExecution or StartSyncExecution), answers its task tokens as its `callback` did, moves the
 * clock until it ends, and judges status, output or error and cause, and the history event order.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { CallbackAction, ExecutionCase } from "./cases.ts";
import { type Bindings, difference, substitute } from "./placeholders.ts";
import { CORPUS_ENV, openSession, type Session } from "./sfn-session.ts";

export interface ExecutionVerdict {
  pass: boolean;
  diff?: string;
  /** Set when the case records `history_event_types`. */
  historyMatch?: boolean;
  historyDiff?: string;
}

interface Outcome {
  status: string;
  output?: string;
  error?: string;
  cause?: string;
  executionArn?: string;
}

/** Runs and judges one execution case. */
export async function runExecutionCase(raw: ExecutionCase): Promise<ExecutionVerdict> {
  const c = substitute(raw, CORPUS_ENV);
  const s = await openSession(c.functions);
  const dynamo = c.setup.dynamodb_tables?.length ? dynamoClient() : undefined;
  try {
    if (dynamo) await setUpTables(dynamo, c);
    for (const m of c.setup.state_machines ?? []) {
      const { stateMachineArn } = await s.sfn.send(
        new CreateStateMachineCommand({
          name: m.name,
          definition: JSON.stringify(m.definition),
          roleArn: CORPUS_ENV.role,
          type: m.type,
        }),
      );
      if ((m as { deleted?: boolean }).deleted) {
        await s.sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
      }
    }
    const { stateMachineArn } = await s.sfn.send(
      new CreateStateMachineCommand({
        name: c.state_machine.name,
        definition: JSON.stringify(c.definition),
        roleArn: CORPUS_ENV.role,
        type: c.state_machine.type,
      }),
    );
    const start = {
      stateMachineArn,
      input: JSON.stringify(c.input),
      ...(c.execution_name ? { name: c.execution_name } : {}),
    };
    const outcome =
      c.start === "StartSyncExecution"
        ? await runSync(s, start)
        : await runAsync(s, c, (await s.sfn.send(new StartExecutionCommand(start))).executionArn);
    if (s.errors.length) throw s.errors[0];
    // Express executions keep no history on AWS (GetExecutionHistory is InvalidArn, and the corpus
    // records none for them): only the cases that recorded one read it.
    const types = c.history_event_types ? await historyTypes(s, outcome.executionArn) : [];
    return judge(c, outcome, types);
  } finally {
    await s.close();
    if (dynamo) {
      await tearDownTables(dynamo, c);
      dynamo.destroy();
    }
  }
}

/** StartSyncExecution answers at the end; the clock must move meanwhile. */
async function runSync(s: Session, start: object): Promise<Outcome> {
  let done = false;
  const answer = s.sfn.send(new StartSyncExecutionCommand(start as never)).finally(() => {
    done = true;
  });
  while (!done && s.virtual) {
    await s.runtime.idle();
    if (!done && !(await s.virtual.runNext())) await new Promise((r) => setTimeout(r, 1));
  }
  const r = await answer;
  return {
    status: r.status as string,
    output: r.output,
    error: r.error,
    cause: r.cause,
    executionArn: r.executionArn,
  };
}

/** Drives an execution to its end: answers its tokens, then moves the clock. */
async function runAsync(
  s: Session,
  c: ExecutionCase,
  executionArn: string | undefined,
): Promise<Outcome> {
  const arn = executionArn as string;
  const answered = new Set<string>();
  for (;;) {
    await s.runtime.idle();
    const d = await s.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (d.status !== "RUNNING") {
      return {
        status: d.status as string,
        output: d.output,
        error: d.error,
        cause: d.cause,
        executionArn: arn,
      };
    }
    if (c.callback) {
      const fresh = (await tokenMessages(s, arn, c.callback.message_field)).filter(
        (m) => !answered.has(m.token),
      );
      if (fresh.length) {
        for (const m of fresh) {
          answered.add(m.token);
          for (const action of c.callback.actions) await callback(s, action, m.message);
        }
        continue;
      }
    }
    if (!s.virtual) await new Promise((r) => setTimeout(r, 10));
    else if (!(await s.virtual.runNext())) {
      return { status: "RUNNING", error: "stuck: waits for something that never happens" };
    }
  }
}

/** The messages that carried task tokens, from the TaskScheduled parameters of token tasks. */
async function tokenMessages(s: Session, arn: string, field: string) {
  const out: Array<{ token: string; message: unknown }> = [];
  for (const e of await history(s, arn)) {
    const d = e.taskScheduledEventDetails;
    if (!d?.resource?.includes("waitForTaskToken") || !d.parameters) continue;
    let message = (JSON.parse(d.parameters) as Record<string, unknown>)[field];
    if (typeof message === "string") message = JSON.parse(message);
    const token = (message as { TaskToken?: unknown })?.TaskToken;
    if (typeof token === "string") out.push({ token, message });
  }
  return out;
}

async function callback(s: Session, a: CallbackAction, message: unknown): Promise<void> {
  if (a.delay_s) {
    if (s.virtual) await s.virtual.advance(a.delay_s * 1000);
    else await new Promise((r) => setTimeout(r, (a.delay_s ?? 0) * 10));
  }
  let value: unknown = message;
  for (const key of a.token_path) value = (value as Record<string, unknown>)[key];
  const taskToken = value as string;
  if (a.op === "SendTaskHeartbeat") {
    await s.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
  } else if (a.op === "SendTaskFailure") {
    await s.sfn.send(
      new SendTaskFailureCommand({
        taskToken,
        ...(a.error !== undefined ? { error: a.error } : {}),
        ...(a.cause !== undefined ? { cause: a.cause } : {}),
      }),
    );
  } else {
    await s.sfn.send(new SendTaskSuccessCommand({ taskToken, output: outputOf(a, message) }));
  }
  await s.runtime.idle();
}

function outputOf(a: CallbackAction, message: unknown): string {
  const o = a.output ?? {};
  if (o.literal !== undefined) return o.literal;
  if (o.json_of_path) {
    let value: unknown = message;
    for (const key of o.json_of_path) value = (value as Record<string, unknown>)[key];
    return JSON.stringify(value);
  }
  return typeof message === "string" ? message : JSON.stringify(message);
}

async function history(s: Session, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await s.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function historyTypes(s: Session, arn: string | undefined): Promise<string[]> {
  return arn ? (await history(s, arn)).map((e) => e.type as string) : [];
}

function judge(c: ExecutionCase, actual: Outcome, types: string[]): ExecutionVerdict {
  const name = actual.executionArn?.split(":")[7];
  const b: Bindings = { uuids: new Map(), executions: name ? [name] : [] };
  const e = c.expected;
  const diffs: string[] = [];
  if (actual.status !== e.status) {
    diffs.push(
      `status: expected ${e.status}, got ${actual.status} (${actual.error}: ${actual.cause})`,
    );
  } else if (e.status === "SUCCEEDED") {
    const d = difference(e.output, JSON.parse(actual.output ?? "null"), b, "output");
    if (d) diffs.push(d);
  } else {
    if (e.error !== undefined) {
      const d = difference(e.error, actual.error, b, "error");
      if (d) diffs.push(d);
    }
    if (e.cause !== undefined) {
      const d = difference(e.cause, actual.cause, b, "cause");
      if (d) diffs.push(d);
    }
  }
  const v: ExecutionVerdict = { pass: diffs.length === 0 };
  if (diffs.length) v.diff = diffs.join("\n");
  if (c.history_event_types) {
    v.historyMatch = types.join() === c.history_event_types.join();
    if (!v.historyMatch) {
      v.historyDiff = `expected ${c.history_event_types.join(",")}\nactual   ${types.join(",")}`;
    }
  }
  return v;
}

function dynamoClient(): DynamoDBClient {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint) throw new Error("DynamoDB cases need AWS_ENDPOINT_URL_DYNAMODB (DynamoDB Local)");
  return new DynamoDBClient({
    endpoint,
    region: CORPUS_ENV.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

async function setUpTables(dynamo: DynamoDBClient, c: ExecutionCase): Promise<void> {
  await tearDownTables(dynamo, c);
  for (const t of c.setup.dynamodb_tables ?? []) {
    await dynamo.send(new CreateTableCommand(t as never));
  }
  for (const item of c.setup.dynamodb_items ?? []) {
    await dynamo.send(new PutItemCommand(item as unknown as PutItemCommandInput));
  }
}

async function tearDownTables(dynamo: DynamoDBClient, c: ExecutionCase): Promise<void> {
  for (const t of c.setup.dynamodb_tables ?? []) {
    await dynamo
      .send(new DeleteTableCommand({ TableName: t.TableName as string }))
      .catch(() => undefined);
  }
}
