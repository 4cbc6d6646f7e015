/**
 * Compiling definitions on a runtime with a mock config: a Task whose resource the runtime cannot
 * call (SQS, SNS, an AWS SDK integration...) may still run, mocked — AWS's own example mocks
 * `arn:aws:states:::sqs:sendMessage` — so any well-formed service integration or Lambda ARN is
 * accepted at CreateStateMachine. Left unmocked by a test case, such a task fails at run time
 * with `States.Runtime` saying which test case to add it to (mocked-tasks.ts).
 */
import { type CompiledMachine, compile } from "../../asl/index.ts";
import type { StateMachineType } from "../../asl/types.ts";
import { knownResourceFor } from "../executor/compile-cache.ts";
import { Lru } from "../lru.ts";

const INTEGRATION =
  /^arn:aws[a-z-]*:(states:::[a-z0-9-]+:[A-Za-z0-9.:-]+|lambda:[a-z0-9-]+:\d{12}:function:.+)$/;
const WAITS = /\.(waitForTaskToken|sync(:2)?)$/;

const compiled = new Lru<string, CompiledMachine>(64);

/** Compiles for a runtime with mocks (cached by type and text); throws DefinitionError. */
export function compileMocked(definition: string, type: StateMachineType): CompiledMachine {
  const key = `${type}\n${definition}`;
  let machine = compiled.get(key);
  if (!machine) {
    const known = knownResourceFor(type);
    machine = compile(JSON.parse(definition), {
      type,
      // Express workflows still take only request-response integrations, mocked or not.
      isKnownResource: (r) =>
        known(r) || (INTEGRATION.test(r) && (type === "STANDARD" || !WAITS.test(r))),
    });
    compiled.set(key, machine);
  }
  return machine;
}
