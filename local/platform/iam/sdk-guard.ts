/**
 * Every AWS SDK v3 call made inside a function's scope (local/platform/scope.ts) is authorised
 * against that function's policy before it is sent, as AWS authorises it on arrival: one
 * `initialize` middleware on each client's stack, added the first time the client sends. All
 * clients of the SDK share one base class (`@smithy/core`'s `Client`, exported by every client
 * package as `__Client`), whose `send` is where the middleware is attached; handlers' code and
 * clients are the ones that run on Lambda, unchanged. Calls outside any function's scope (the
 * platform creating its table, tests arranging data) are the operator's and are not checked.
 */
import { __Client as DynamoBase } from "@aws-sdk/client-dynamodb";
import { __Client as SesBase } from "@aws-sdk/client-sesv2";
import { __Client as SfnBase } from "@aws-sdk/client-sfn";
import { currentScope } from "../scope.ts";
import { IamMappingError } from "./errors.ts";
import { type CallSite, iamRequests } from "./requests.ts";

interface Stack {
  add(middleware: unknown, options: { step: string; name: string; priority: string }): void;
}
interface AnyClient {
  middlewareStack: Stack;
  config: { region?: string | (() => Promise<string>) };
}
type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;
interface Context {
  clientName?: string;
  commandName?: string;
}

let installedSite: Omit<CallSite, "region"> | undefined;

/**
 * Attaches the check to every SDK client of this process (idempotent; the last `site` wins).
 * `site.accountId` is the local account; `site.tokenStateMachine` maps a task token to its machine.
 */
export function installSdkGuard(site: Omit<CallSite, "region">): void {
  const already = installedSite !== undefined;
  installedSite = site;
  if (already) return;
  if (DynamoBase !== SesBase || DynamoBase !== SfnBase) {
    throw new IamMappingError(
      "the AWS SDK clients do not share one @smithy/core: run npm dedupe so every call can be checked",
    );
  }
  const guarded = new WeakSet<Stack>();
  const proto = DynamoBase.prototype as unknown as { send: (...args: unknown[]) => unknown };
  const send = proto.send;
  proto.send = function (this: AnyClient, ...args: unknown[]) {
    if (!guarded.has(this.middlewareStack)) {
      guarded.add(this.middlewareStack);
      this.middlewareStack.add(guard(this), {
        step: "initialize",
        name: "countersignLocalIam",
        priority: "high",
      });
    }
    return send.apply(this, args);
  };
}

function guard(client: AnyClient) {
  return (next: Next, context: Context) => async (args: { input: Record<string, unknown> }) => {
    const scope = currentScope();
    if (scope?.authorize && installedSite) {
      const region =
        typeof client.config.region === "function"
          ? await client.config.region()
          : (client.config.region ?? "us-east-1");
      const requests = iamRequests(
        context.clientName ?? "unknown client",
        context.commandName ?? "unknown command",
        args.input,
        { ...installedSite, region },
      );
      for (const request of requests) await scope.authorize(request);
    }
    return next(args);
  };
}
