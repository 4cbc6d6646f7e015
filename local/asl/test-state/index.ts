/**
 * TestState: evaluates ONE state of a definition, as AWS's TestState API does, without an
 * execution, a history or a store. The request is AWS's (JSON members as JSON text); the runtime
 * supplies the integrations an unmocked Task calls, the mock shape check, the time and a seed.
 * See https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
import type { CompiledState } from "../model.ts";
import { nextUuid, seedPrng } from "../prng.ts";
import type { Json, JsonObject } from "../types.ts";
import { defaultContext, hasTaskContext, parseContext } from "./context.ts";
import { isObject, prepareDefinition } from "./definition.ts";
import { invalid, TestStateRejected } from "./errors.ts";
import { evaluateState } from "./evaluate.ts";
import { settle } from "./outcome.ts";
import {
  checkConfiguration,
  checkMembers,
  checkMockAllowed,
  parseJsonMember,
  parseMock,
} from "./request.ts";
import type { ParsedMock, Run } from "./run.ts";
import type { TestStateRequest, TestStateResult, TestStateServices } from "./types.ts";

export { TestStateRejected } from "./errors.ts";
export type * from "./types.ts";

/**
 * Runs the state under test and reports it as TestState does.
 * @throws TestStateRejected for a request AWS would reject (ValidationException, InvalidDefinition)
 */
export async function testState(
  req: TestStateRequest,
  services: TestStateServices,
): Promise<TestStateResult> {
  const level = checkMembers(req);
  const { state, raw } = prepareDefinition(req.definition, req.stateName);
  checkConfiguration(req, state);
  checkMockAllowed(req, state);
  const mock = parseMock(req, state, raw);
  let given: JsonObject | undefined;
  if (req.context !== undefined) {
    if (!mock) throw invalid("TestState does not support Context when a mock is not specified.");
    given = parseContext(req.context, state);
  }
  if (state.type === "Task" && !mock) checkInvocable(req, state, services);
  const input = parseJsonMember(req.input, "input", {});
  const vars = parseJsonMember(req.variables, "variables", {});
  if (!isObject(vars)) {
    throw invalid("The variables must be JSON text of an object: variable names to values.");
  }
  await checkMockShape(req, state, mock, services);
  const rng = seedPrng(services.seed);
  const machineName = nextUuid(rng);
  const executionName = nextUuid(rng);
  const context =
    given ??
    defaultContext({
      region: services.region,
      accountId: services.accountId,
      roleArn: req.roleArn,
      input,
      now: services.now,
      state,
      machineName,
      executionName,
      retryCount: req.stateConfiguration?.retrierRetryCount ?? 0,
      taskToken:
        hasTaskContext(state) && state.resource?.includes(".waitForTaskToken")
          ? nextUuid(rng)
          : undefined,
    });
  const run: Run = {
    state,
    raw,
    input,
    vars: { ...vars },
    context,
    rng,
    mock,
    config: req.stateConfiguration ?? {},
    roleArn: req.roleArn,
    services,
    inspection: { input },
  };
  const result = await settle(run, await evaluateState(run));
  if (Object.keys(run.vars).length > 0) run.inspection.variables = run.vars;
  if (level !== "INFO") {
    const { request, response, ...dataFlow } = run.inspection;
    result.inspectionData = level === "TRACE" ? run.inspection : dataFlow;
  }
  return result;
}

/** What an unmocked Task needs: a role, a request-response resource, an integration here. */
function checkInvocable(req: TestStateRequest, state: CompiledState, services: TestStateServices) {
  if (!req.roleArn) throw invalid("RoleArn must be specified when testing a Task state");
  const resource = state.resource as string;
  if (hasTaskContext(state) || /^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) {
    throw new TestStateRejected(
      "InvalidDefinition",
      "TestState supports Activity tasks and the .sync and .waitForTaskToken service integration patterns only when a mock is specified; add a mock (result or errorOutput).",
    );
  }
  if (!services.canInvoke(resource)) {
    throw invalid(
      `The local runtime cannot call '${resource}'; add a mock (result or errorOutput) to test this state. Without a mock it calls Lambda functions, lambda:invoke, dynamodb:getItem|putItem|updateItem|deleteItem, states:startExecution and http:invoke.`,
    );
  }
}

/** fieldValidationMode: the mocked result against the integration's response shape. */
async function checkMockShape(
  req: TestStateRequest,
  state: CompiledState,
  mock: ParsedMock | undefined,
  services: TestStateServices,
): Promise<void> {
  if (state.type !== "Task" || mock?.kind !== "result") return;
  const mode = req.mock?.fieldValidationMode ?? "STRICT";
  if (mode === "NONE") return;
  // A callback's result is whatever SendTaskSuccess sends: no service shape applies.
  if ((state.resource as string).endsWith(".waitForTaskToken")) return;
  const message = await services.checkMockResult(
    state.resource as string,
    mock.result as Json,
    mode,
  );
  if (message !== undefined) throw invalid(message);
}
