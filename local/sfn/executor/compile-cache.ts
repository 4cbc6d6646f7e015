/**
 * Compiled machines by type and definition text, shared by every runtime in the process: compiled
 * machines are immutable, and compiling (schema validation included) is the slow part of a start.
 */
import { type CompiledMachine, compile } from "../../asl/index.ts";
import type { StateMachineType } from "../../asl/types.ts";
import { resolveResource, unknownResourceReason } from "../invokers/resources.ts";
import { Lru } from "../lru.ts";

/** `isKnownResource` for a machine type: Express cannot wait for tokens or children. */
export function knownResourceFor(type: StateMachineType) {
  return (resource: string): boolean => {
    const r = resolveResource(resource);
    if (!r) return false;
    // Express state machines run no activities (AWS: Express supports no activity tasks).
    return type === "STANDARD" || (r.pattern === "request" && r.service !== "activity");
  };
}

// Keyed by the text itself: V8 caches a string's hash, so the same definition string is O(1).
const compiled = {
  STANDARD: new Lru<string, CompiledMachine>(64),
  EXPRESS: new Lru<string, CompiledMachine>(64),
};

/** Compiles a definition text for the runtime's resources; throws the engine's DefinitionError. */
export function compileCached(definition: string, type: StateMachineType): CompiledMachine {
  const cache = compiled[type];
  let machine = cache.get(definition);
  if (!machine) {
    machine = compile(JSON.parse(definition), {
      type,
      isKnownResource: knownResourceFor(type),
      unknownResourceReason,
    });
    cache.set(definition, machine);
  }
  return machine;
}
