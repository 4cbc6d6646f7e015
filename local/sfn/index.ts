/**
 * The durable local Step Functions runtime and its wire API. See README.md.
 */
export { type Clock, realClock, VirtualClock } from "./clock.ts";
export { SfnApiError, TaskInvocationError } from "./errors.ts";
export type { FunctionConfig, FunctionMap, Handler, LambdaContext } from "./invokers/lambda.ts";
export { isKnownResource } from "./invokers/resources.ts";
export { createRuntime, type RuntimeOptions, SfnRuntime } from "./runtime.ts";
export { type ServeOptions, type SfnServer, serveSfnApi } from "./server.ts";
