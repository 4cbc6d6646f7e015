/**
 * Per-invocation scoping of what a function sees, for handlers that share one Node process.
 * On Lambda each function is its own process with exactly its links (`SST_RESOURCE_<Name>`) and
 * environment; locally every handler runs in the platform's process, so each invocation runs in
 * an `AsyncLocalStorage` context naming its function, and the two places handlers read from
 * consult that context:
 *
 * - SST's `Resource` (node_modules/sst/dist/resource/shared.js) looks names up in one object,
 *   `globalThis.__SST_RESOURCE_RAW__`, and reads `SST_RESOURCE_App` and
 *   `AWS_LAMBDA_FUNCTION_NAME` from `globalThis.__SST_RESOURCE_ENVIRONMENT__`. Both objects get a
 *   prototype that answers from the current function's links, so `Resource.Settings` in a
 *   function not linked to Settings throws SST's own `"Settings" is not linked ... to <Function>`.
 * - `process.env` becomes a view that, inside a function, shows that function's environment and
 *   link variables and hides every other `SST_RESOURCE_*`.
 *
 * Outside any function (the platform's own setup, tests that set `SST_RESOURCE_*` themselves)
 * both behave as before. AWS SDK calls are checked against the current function's policy by
 * iam/sdk-guard.ts, which reads the same context.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What one function is, locally: its links and environment, and how its SDK calls are authorised. */
export interface FunctionScope {
  /** The function's name (as on AWS). */
  name: string;
  /** Its linked resources by name, as SST would deliver them (plus `App`). */
  resources: Readonly<Record<string, unknown>>;
  /** Its environment besides the shared one (Lambda's variables, the topology's environment). */
  environment: Readonly<Record<string, string>>;
  /** Its IAM check; undefined: calls are not checked (a scope made only for links). */
  authorize?: (request: { action: string; resource: string }) => Promise<void>;
}

const storage = new AsyncLocalStorage<FunctionScope>();

/** The function the current code runs as, if any. */
export function currentScope(): FunctionScope | undefined {
  return storage.getStore();
}

/** Runs `body` as the function `scope` (links, environment, IAM). */
export function runAs<T>(scope: FunctionScope, body: () => T): T {
  installScoping();
  return storage.run(scope, body);
}

const RESOURCE_PREFIX = "SST_RESOURCE_";
let installed = false;

/** Installs the scoped views of SST's resources and of `process.env` (idempotent). */
export function installScoping(): void {
  if (installed) return;
  installed = true;
  const state = globalThis as unknown as Record<string, Record<string, unknown> | undefined>;
  scopeObject(state, "__SST_RESOURCE_RAW__", (scope, key) =>
    key in scope.resources ? { value: scope.resources[key] } : { value: undefined, hidden: true },
  );
  scopeObject(state, "__SST_RESOURCE_ENVIRONMENT__", (scope, key) => envLookup(scope, key));
  scopeProcessEnv();
}

type Lookup = { value: unknown; hidden?: boolean } | undefined;

function envLookup(scope: FunctionScope, key: string): Lookup {
  if (key in scope.environment) return { value: scope.environment[key] };
  if (key.startsWith(RESOURCE_PREFIX)) {
    const name = key.slice(RESOURCE_PREFIX.length);
    return name in scope.resources
      ? { value: JSON.stringify(scope.resources[name]) }
      : { value: undefined, hidden: true };
  }
  return undefined;
}

/**
 * Makes `state[key]` (created when absent, as SST would) an object whose own properties are
 * moved to a shared base and whose prototype answers from the current scope first: SST keeps its
 * reference to the object, only the answers change.
 */
function scopeObject(
  state: Record<string, Record<string, unknown> | undefined>,
  key: string,
  lookup: (scope: FunctionScope, key: string) => Lookup,
): void {
  state[key] ??= {};
  const target = state[key] as Record<string, unknown>;
  const base: Record<string, unknown> = { ...target };
  for (const k of Object.keys(target)) delete target[k];
  const resolve = (prop: string | symbol): Lookup => {
    const scope = storage.getStore();
    if (!scope || typeof prop !== "string") return undefined;
    return lookup(scope, prop);
  };
  Object.setPrototypeOf(
    target,
    new Proxy(base, {
      get(b, prop) {
        const hit = resolve(prop);
        return hit ? hit.value : Reflect.get(b, prop);
      },
      has(b, prop) {
        const hit = resolve(prop);
        return hit ? !hit.hidden : Reflect.has(b, prop);
      },
      set(b, prop, value) {
        return Reflect.set(b, prop, value);
      },
    }),
  );
}

function scopeProcessEnv(): void {
  const real = process.env;
  const view = new Proxy(real, {
    get(env, prop) {
      const scope = storage.getStore();
      if (scope && typeof prop === "string") {
        const hit = envLookup(scope, prop);
        if (hit) return hit.value as string | undefined;
      }
      return Reflect.get(env, prop);
    },
    has(env, prop) {
      const scope = storage.getStore();
      if (scope && typeof prop === "string") {
        const hit = envLookup(scope, prop);
        if (hit) return !hit.hidden;
      }
      return Reflect.has(env, prop);
    },
    ownKeys(env) {
      const scope = storage.getStore();
      const keys = Reflect.ownKeys(env);
      if (!scope) return keys;
      const own = keys.filter((k) => typeof k !== "string" || !k.startsWith(RESOURCE_PREFIX));
      const extra = [
        ...Object.keys(scope.environment),
        ...Object.keys(scope.resources).map((n) => `${RESOURCE_PREFIX}${n}`),
      ];
      return [...new Set([...own, ...extra])];
    },
    getOwnPropertyDescriptor(env, prop) {
      const scope = storage.getStore();
      if (scope && typeof prop === "string") {
        const hit = envLookup(scope, prop);
        if (hit) {
          return hit.hidden
            ? undefined
            : { value: hit.value, writable: true, enumerable: true, configurable: true };
        }
      }
      return Reflect.getOwnPropertyDescriptor(env, prop);
    },
  });
  Object.defineProperty(process, "env", {
    value: view,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}
