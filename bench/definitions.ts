/**
 * The state machines the engine comparison runs on every side, unchanged. They stay inside what
 * the peer (`aws-local-stepfunctions` 3) runs correctly: it treats falsy values as missing (a Pass
 * `Result: 0` becomes `{}`, a JSONPath `$` on the item `0` fails), so the loop takes its counter
 * from the input and Map items start at 1.
 */
import type { Json, JsonObject, StateMachineDefinition } from "../local/asl/types.ts";

/** A chain of `length` Pass states, each adding a field so the payload changes on every step. */
export function passChain(length = 10): StateMachineDefinition {
  const states: Record<string, Json> = {};
  for (let i = 0; i < length; i++) {
    const next: Record<string, Json> = i + 1 < length ? { Next: `Step${i + 1}` } : { End: true };
    states[`Step${i}`] = { Type: "Pass", Result: `visited ${i}`, ResultPath: `$.s${i}`, ...next };
  }
  return { Comment: `Pass chain of ${length}`, StartAt: "Step0", States: states };
}

/** Input for {@link passChain} and {@link lambdaChain}. */
export const passChainInput: Json = { orderId: "bench-1", total: 42.5 };

/** The function name of step `i` of {@link lambdaChain}. */
export function chainFunctionName(i: number): string {
  return `bench-step-${i}`;
}

/**
 * A chain of `length` Task states, each invoking its own Lambda function by ARN (the request-
 * response form whose result is the function's return, as the peer's local handlers give it).
 */
export function lambdaChain(length = 10): StateMachineDefinition {
  const states: Record<string, Json> = {};
  for (let i = 0; i < length; i++) {
    const next: Record<string, Json> = i + 1 < length ? { Next: `Step${i + 1}` } : { End: true };
    states[`Step${i}`] = {
      Type: "Task",
      Resource: `arn:aws:lambda:us-east-1:123456789012:function:${chainFunctionName(i)}`,
      ...next,
    };
  }
  return { Comment: `Lambda chain of ${length}`, StartAt: "Step0", States: states };
}

/**
 * The in-process handler of step `i` of {@link lambdaChain}: returns its event with one field
 * added, so the payload changes on every step (a Lambda returns a new object; it never shares
 * its event with the caller).
 */
export function chainHandler(i: number): (event: JsonObject) => Promise<JsonObject> {
  const key = `s${i}`;
  const value = `handled ${i}`;
  return async (event) => ({ ...event, [key]: value });
}

/** The function {@link taskToken} invokes: it hands the token on and returns. */
export const APPROVAL_FUNCTION = "bench-approval";

/**
 * One `.waitForTaskToken` task, as an approval step: the function gets the token and returns at
 * once; the execution goes on when `SendTaskSuccess` answers with the token.
 */
export function taskToken(): StateMachineDefinition {
  return {
    Comment: "One task waiting for its token",
    StartAt: "Approve",
    States: {
      Approve: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: APPROVAL_FUNCTION,
          Payload: { "id.$": "$.id", "token.$": "$$.Task.Token" },
        },
        TimeoutSeconds: 86_400,
        End: true,
      },
    },
  };
}

/** What `SendTaskSuccess` answers in {@link taskToken}, and so the execution's output. */
export const TASK_TOKEN_OUTPUT: Json = { approved: true };

/**
 * A Choice/Pass loop: `Check` compares `$.i` with `$.limit`, `Increment` adds one with
 * `States.MathAdd`. With `{ i: 0, limit: 100 }` it runs 100 iterations (201 states entered).
 */
export function choiceLoop(): StateMachineDefinition {
  return {
    Comment: "Choice/Pass loop",
    StartAt: "Check",
    States: {
      Check: {
        Type: "Choice",
        Choices: [{ Variable: "$.i", NumericLessThanPath: "$.limit", Next: "Increment" }],
        Default: "Done",
      },
      Increment: {
        Type: "Pass",
        Parameters: { "i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit" },
        Next: "Check",
      },
      Done: { Type: "Succeed" },
    },
  };
}

/** Input for {@link choiceLoop}: `iterations` turns of the loop. */
export function choiceLoopInput(iterations = 100): Json {
  return { i: 0, limit: iterations };
}

/** An inline Map over `$.items` with one Pass state per item (wrapping it as `{ n }`). */
export function mapOfPass(): StateMachineDefinition {
  return {
    Comment: "Map over items with a Pass inside",
    StartAt: "EachItem",
    States: {
      EachItem: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Touch",
          States: {
            Touch: { Type: "Pass", Parameters: { "n.$": "$" }, End: true },
          },
        },
        End: true,
      },
    },
  };
}

/**
 * Input for {@link mapOfPass}: `count` numbers. Items are bare numbers because AWS's 256 KiB
 * payload limit (which the Countersign engine enforces, as AWS does) must hold 10,000 of them on
 * the way in and 10,000 `{"n":…}` objects (about 110 KB) on the way out.
 */
export function mapInput(count = 10_000): Json {
  // From 1: the peer treats a falsy item (0) as "no value" and fails the run.
  return { items: Array.from({ length: count }, (_, i) => i + 1) };
}
