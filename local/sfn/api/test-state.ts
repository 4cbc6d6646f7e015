/**
 * The TestState action: the engine's `testState` over this runtime's integrations, with the
 * request and answer in the API's own members (JSON values travel as JSON text). It reads and
 * writes no execution and no history. See local/asl/test-state.
 */
import { testState as run, TestStateRejected, type TestStateRequest } from "../../asl/index.ts";
import type { Json } from "../../asl/types.ts";
import { InvalidDefinition, ValidationException } from "../errors.ts";
import { testStateServices } from "../test-state/integrations.ts";
import type { ApiContext } from "./context.ts";

/** TestStateOutput as the wire carries it. */
export interface TestStateOutput {
  status: string;
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: Record<string, unknown>;
}

/** InspectionData members that are JSON text on the wire (the rest are numbers or objects). */
const JSON_TEXT = new Set([
  "input",
  "afterArguments",
  "afterInputPath",
  "afterParameters",
  "result",
  "afterResultSelector",
  "afterResultPath",
  "variables",
  "afterItemsPath",
  "afterItemSelector",
  "afterItemBatcher",
  "afterItemsPointer",
]);

export async function testState(c: ApiContext, req: TestStateRequest): Promise<TestStateOutput> {
  c.open();
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run(req, testStateServices(c));
  } catch (error) {
    if (error instanceof TestStateRejected) {
      const E = error.code === "InvalidDefinition" ? InvalidDefinition : ValidationException;
      throw new E(error.message, { cause: error });
    }
    throw error;
  }
  const out: TestStateOutput = { status: result.status };
  if (result.output !== undefined) out.output = JSON.stringify(result.output);
  if (result.error !== undefined) out.error = result.error;
  if (result.cause !== undefined) out.cause = result.cause;
  if (result.nextState !== undefined) out.nextState = result.nextState;
  if (result.inspectionData) {
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(result.inspectionData)) {
      data[k] = JSON_TEXT.has(k) ? JSON.stringify(v as Json) : v;
    }
    out.inspectionData = data;
  }
  return out;
}
