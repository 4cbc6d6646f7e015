/**
 * The checks AWS makes on a TestState request before running anything, in the order that decides
 * which message a request with several problems gets. Messages are AWS's, word for word, where the
 * recorded corpus has them; the others name the member and what to send instead.
 */
import type { CompiledState } from "../model.ts";
import type { Json } from "../types.ts";
import { innerStateNames, isObject } from "./definition.ts";
import { invalid, TestStateRejected } from "./errors.ts";
import type { ParsedMock } from "./run.ts";
import type { InspectionLevel, TestStateRequest } from "./types.ts";

const LEVELS = ["INFO", "DEBUG", "TRACE"] as const;
const MODES = ["STRICT", "PRESENT", "NONE"] as const;

/** The AWS JSON protocol's wording for a member that breaks its constraint. */
function constraint(value: unknown, member: string, rule: string): TestStateRejected {
  const shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value ?? null);
  return invalid(
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${rule}`,
  );
}

function optionalString(v: unknown, member: string, max?: number): void {
  if (v === undefined) return;
  if (typeof v !== "string") throw constraint(v, member, "Member must be a string");
  if (max !== undefined && (v.length < 1 || v.length > max)) {
    throw constraint(v, member, `Member must have length between 1 and ${max}`);
  }
}

function optionalCount(v: unknown, member: string): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw constraint(v, member, "Member must have value greater than or equal to 0");
  }
}

/** Member types and enums (what the API model says). Returns the inspection level. */
export function checkMembers(req: TestStateRequest): InspectionLevel {
  if (typeof req.definition !== "string" || req.definition.length === 0) {
    throw constraint(req.definition, "definition", "Member must not be null");
  }
  for (const m of ["roleArn", "input", "variables", "context"] as const) {
    optionalString(req[m], m);
  }
  optionalString(req.stateName, "stateName", 80);
  const level = req.inspectionLevel ?? "INFO";
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw constraint(
      level,
      "inspectionLevel",
      `Member must satisfy enum value set: [${LEVELS.join(", ")}]`,
    );
  }
  if (req.revealSecrets !== undefined && typeof req.revealSecrets !== "boolean") {
    throw constraint(req.revealSecrets, "revealSecrets", "Member must be a boolean");
  }
  const mock = req.mock;
  if (mock !== undefined) {
    if (!isObject(mock as unknown)) throw constraint(mock, "mock", "Member must be an object");
    optionalString(mock.result, "mock.result");
    const mode = mock.fieldValidationMode;
    if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) {
      throw constraint(
        mode,
        "mock.fieldValidationMode",
        `Member must satisfy enum value set: [${MODES.join(", ")}]`,
      );
    }
    const eo = mock.errorOutput;
    if (eo !== undefined) {
      if (!isObject(eo as unknown))
        throw constraint(eo, "mock.errorOutput", "Member must be an object");
      optionalString(eo.error, "mock.errorOutput.error");
      optionalString(eo.cause, "mock.errorOutput.cause");
    }
  }
  const cfg = req.stateConfiguration;
  if (cfg !== undefined) {
    if (!isObject(cfg as unknown))
      throw constraint(cfg, "stateConfiguration", "Member must be an object");
    optionalCount(cfg.retrierRetryCount, "stateConfiguration.retrierRetryCount");
    optionalCount(cfg.mapIterationFailureCount, "stateConfiguration.mapIterationFailureCount");
    optionalString(cfg.errorCausedByState, "stateConfiguration.errorCausedByState", 80);
    optionalString(cfg.mapItemReaderData, "stateConfiguration.mapItemReaderData");
  }
  return level;
}

/** stateConfiguration members that only mean something with a mock, or for some state types. */
export function checkConfiguration(req: TestStateRequest, state: CompiledState): void {
  const cfg = req.stateConfiguration ?? {};
  const mocked = req.mock !== undefined;
  if (cfg.mapIterationFailureCount !== undefined) {
    if (!mocked) {
      throw invalid(
        "TestState does not support MapIterationFailureCount when a mock is not specified.",
      );
    }
    if (state.type !== "Map") {
      throw invalid(
        `MapIterationFailureCount applies to Map states only; the state under test is a ${state.type} state.`,
      );
    }
  }
  if (cfg.errorCausedByState !== undefined) {
    if (!mocked) {
      throw invalid("TestState does not support ErrorCausedByState when a mock is not specified.");
    }
    if (
      (state.type === "Map" || state.type === "Parallel") &&
      !innerStateNames(state).has(cfg.errorCausedByState)
    ) {
      throw invalid(
        `ErrorCausedByState '${cfg.errorCausedByState}' is not a state of the ${state.type} state's ${state.type === "Map" ? "ItemProcessor" : "Branches"}.`,
      );
    }
  }
  if (cfg.mapItemReaderData !== undefined && state.type !== "Map") {
    throw invalid(
      `MapItemReaderData applies to Map states with an ItemReader only; the state under test is a ${state.type} state.`,
    );
  }
}

/** Which state types take a mock (AWS: "A mock can only be specified for Task, Map, or Parallel"). */
export function checkMockAllowed(req: TestStateRequest, state: CompiledState): void {
  if (req.mock === undefined) {
    if (state.type === "Map" || state.type === "Parallel") {
      // AWS's literal message, the same for both types.
      throw new TestStateRejected(
        "InvalidDefinition",
        "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
      );
    }
    return;
  }
  if (state.type !== "Task" && state.type !== "Map" && state.type !== "Parallel") {
    throw invalid(`State type '${state.type}' is not supported when a mock is specified`);
  }
}

/** The mock, parsed and checked against the state (not yet against the service's shapes). */
export function parseMock(
  req: TestStateRequest,
  state: CompiledState,
  raw: Json,
): ParsedMock | undefined {
  const mock = req.mock;
  if (mock === undefined) return undefined;
  if (req.revealSecrets === true) {
    throw invalid("TestState does not support RevealSecrets when a mock is specified.");
  }
  const hasResult = mock.result !== undefined;
  const hasError = mock.errorOutput !== undefined;
  if (hasResult && hasError) {
    throw invalid(
      "A test mock should have only one of the following fields: [result, errorOutput].",
    );
  }
  if (!hasResult && !hasError) {
    throw invalid("A test mock needs one of the following fields: [result, errorOutput].");
  }
  if (hasError) {
    const eo = mock.errorOutput as { error?: string; cause?: string };
    return { kind: "error", ...eo };
  }
  let result: Json;
  try {
    result = JSON.parse(mock.result as string) as Json;
  } catch {
    throw invalid("Mocked result must be valid JSON");
  }
  if (state.type === "Map") {
    const writes = isObject(raw) && raw.ResultWriter !== undefined;
    if (writes && !isObject(result)) throw invalid("Mocked result must be a JSON object.");
    if (!writes && !Array.isArray(result)) throw invalid("Mocked result must be an array.");
    const failures = req.stateConfiguration?.mapIterationFailureCount;
    if (failures !== undefined && Array.isArray(result) && failures > result.length) {
      throw invalid(
        "Map iteration failure count must be less than or equal to the number of Map iterations",
      );
    }
  }
  if (state.type === "Parallel") {
    if (!Array.isArray(result)) throw invalid("Mocked result must be an array.");
    const branches = state.branches?.length ?? 0;
    if (result.length !== branches) {
      throw invalid(
        `The mocked result of a Parallel state must have one item per branch: ${branches} branches, ${result.length} items.`,
      );
    }
  }
  return { kind: "result", result };
}

/** A JSON-text member, parsed. */
export function parseJsonMember(text: string | undefined, member: string, fallback: Json): Json {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw invalid(`The ${member} is not valid JSON text: ${(e as Error).message}`);
  }
}
