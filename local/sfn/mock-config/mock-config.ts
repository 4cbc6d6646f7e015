/**
 * AWS Step Functions Local's mock configuration (`MockConfigFile.json`), read unchanged:
 *
 * ```json
 * { "StateMachines": { "<machine name>": { "TestCases": { "<case>": { "<state>": "<response>" } } } },
 *   "MockedResponses": { "<response>": { "0": { "Return": {...} }, "1-2": { "Throw": { "Error": "...", "Cause": "..." } } } } }
 * ```
 *
 * A test case maps Task state names to mocked responses; a mocked response gives, for each
 * invocation of its state in one execution (0-based, single numbers or inclusive ranges), the
 * task's result (`Return`) or its error (`Throw`). Structure and semantics as AWS documents them:
 * https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html and
 * https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html
 * Every mistake is reported with its path in the file and what to write instead.
 */
import type { Json } from "../../asl/types.ts";
import { MockConfigError } from "./errors.ts";

/** One invocation's answer: the task's result, or the error it fails with. */
export type MockedAnswer = { Return: Json } | { Throw: { Error: string; Cause?: string } };

/** A mocked response: answers by invocation, as ranges `[from, to]` (inclusive). */
export interface MockedResponse {
  name: string;
  answers: { from: number; to: number; answer: MockedAnswer }[];
}

/** The file, checked: test cases by machine name, each a state → mocked response map. */
export interface MockConfig {
  machines: Map<string, Map<string, Map<string, MockedResponse>>>;
  /** The file as given (for messages and for copies). */
  source: string;
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Checks a mock configuration (a parsed object, or JSON text) and returns it ready for lookups.
 * `source` names it in errors (a file path).
 */
export function parseMockConfig(input: unknown, source = "the mock config"): MockConfig {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new MockConfigError(`${source} is not JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const fail = (path: string, message: string): never => {
    throw new MockConfigError(`${source}: ${path}: ${message}`);
  };
  if (!isObject(value))
    fail("(top level)", "must be an object with StateMachines and MockedResponses");
  const root = value as Obj;
  for (const key of Object.keys(root)) {
    if (key !== "StateMachines" && key !== "MockedResponses") {
      fail(
        key,
        "is not a field of a mock config: the top level has StateMachines and MockedResponses",
      );
    }
  }
  if (!isObject(root.MockedResponses)) {
    fail(
      "MockedResponses",
      'must be an object of mocked responses, e.g. {"Ok": {"0": {"Return": {}}}}',
    );
  }
  if (!isObject(root.StateMachines)) {
    fail(
      "StateMachines",
      'must be an object, e.g. {"MyMachine": {"TestCases": {"HappyPath": {}}}}',
    );
  }
  const responses = new Map<string, MockedResponse>();
  for (const [name, spec] of Object.entries(root.MockedResponses as Obj)) {
    responses.set(name, mockedResponse(name, spec, fail));
  }
  const machines: MockConfig["machines"] = new Map();
  for (const [machine, spec] of Object.entries(root.StateMachines as Obj)) {
    const at = `StateMachines.${machine}`;
    if (!isObject(spec) || !isObject(spec.TestCases)) {
      fail(at, 'must be {"TestCases": {"<case name>": {"<state name>": "<mocked response>"}}}');
    }
    const cases = new Map<string, Map<string, MockedResponse>>();
    for (const [name, states] of Object.entries((spec as Obj).TestCases as Obj)) {
      if (!isObject(states)) {
        fail(
          `${at}.TestCases.${name}`,
          'must map Task state names to mocked responses, e.g. {"Charge": "ChargeOk"}',
        );
      }
      const byState = new Map<string, MockedResponse>();
      for (const [state, ref] of Object.entries(states as Obj)) {
        const response = typeof ref === "string" ? responses.get(ref) : undefined;
        if (!response) {
          fail(
            `${at}.TestCases.${name}.${state}`,
            `names ${JSON.stringify(ref)}, which is not in MockedResponses (${[...responses.keys()].join(", ") || "none"})`,
          );
        }
        byState.set(state, response as MockedResponse);
      }
      cases.set(name, byState);
    }
    machines.set(machine, cases);
  }
  return { machines, source };
}

function mockedResponse(
  name: string,
  spec: unknown,
  fail: (path: string, message: string) => never,
): MockedResponse {
  const at = `MockedResponses.${name}`;
  if (!isObject(spec) || Object.keys(spec).length === 0) {
    fail(
      at,
      'must map invocation numbers to answers, e.g. {"0": {"Return": {...}}, "1-2": {"Throw": {...}}}',
    );
  }
  const answers: MockedResponse["answers"] = [];
  for (const [key, value] of Object.entries(spec as Obj)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(key);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || to < from) {
      fail(`${at}."${key}"`, 'must be an invocation number ("0") or an inclusive range ("1-2")');
    }
    const clash = answers.find((a) => from <= a.to && a.from <= to);
    if (clash)
      fail(`${at}."${key}"`, `overlaps the invocations ${clash.from}-${clash.to} given before`);
    answers.push({ from, to, answer: answer(`${at}."${key}"`, value, fail) });
  }
  answers.sort((a, b) => a.from - b.from);
  return { name, answers };
}

function answer(
  at: string,
  value: unknown,
  fail: (path: string, message: string) => never,
): MockedAnswer {
  const keys = isObject(value) ? Object.keys(value) : [];
  if (!isObject(value) || keys.length !== 1 || !(keys[0] === "Return" || keys[0] === "Throw")) {
    fail(
      at,
      'must hold exactly one of Return (the result) or Throw ({"Error": "...", "Cause": "..."})',
    );
  }
  const v = value as Obj;
  if ("Return" in v) return { Return: v.Return as Json };
  const t = v.Throw;
  if (
    !isObject(t) ||
    typeof t.Error !== "string" ||
    (t.Cause !== undefined && typeof t.Cause !== "string")
  ) {
    fail(`${at}.Throw`, 'must be {"Error": "<error name>", "Cause": "<text>"} with string values');
  }
  const thrown = t as { Error: string; Cause?: string };
  return {
    Throw:
      thrown.Cause === undefined
        ? { Error: thrown.Error }
        : { Error: thrown.Error, Cause: thrown.Cause },
  };
}

/** The test case's mocks, by state; throws naming what exists when the machine or case does not. */
export function testCase(
  config: MockConfig,
  machine: string,
  name: string,
): Map<string, MockedResponse> {
  const cases = config.machines.get(machine);
  if (!cases) {
    throw new MockConfigError(
      `${config.source} has no state machine '${machine}' under StateMachines (it has: ${[...config.machines.keys()].join(", ") || "none"})`,
    );
  }
  const mocks = cases.get(name);
  if (!mocks) {
    throw new MockConfigError(
      `${config.source} has no test case '${name}' for '${machine}' (it has: ${[...cases.keys()].join(", ") || "none"})`,
    );
  }
  return mocks;
}

/** The answer for the `invocation`-th call (0-based) of a mocked state, if the file gives one. */
export function answerFor(response: MockedResponse, invocation: number): MockedAnswer | undefined {
  return response.answers.find((a) => invocation >= a.from && invocation <= a.to)?.answer;
}

/** A config already checked, or a file's content (object or JSON text) to check. */
export function asMockConfig(value: MockConfig | object | string): MockConfig {
  if (
    typeof value === "object" &&
    value !== null &&
    (value as MockConfig).machines instanceof Map
  ) {
    return value as MockConfig;
  }
  return parseMockConfig(value);
}
