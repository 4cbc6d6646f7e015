/**
 * The local Step Functions runtime and its wire API, durable (SQLite) or in memory, and the one
 * driver of the ASL engine: `runToCompletion` runs an execution on the same executor with an
 * in-memory store and a virtual clock. See README.md.
 */
export { type Clock, realClock, VirtualClock } from "./clock.ts";
export {
  type CaseVerdict,
  type CorpusCase,
  jsonEqual,
  judgeCase,
  loadCases,
} from "./corpus.ts";
export { SfnApiError, StoreDamagedError, TaskInvocationError } from "./errors.ts";
export type { FunctionConfig, FunctionMap, Handler, LambdaContext } from "./invokers/lambda.ts";
export { isKnownResource } from "./invokers/resources.ts";
export {
  type RunOptions,
  type RunOutcome,
  runToCompletion,
  type TaskAnswer,
  type TaskCommand,
} from "./run-to-completion.ts";
export {
  createRuntime,
  type RuntimeOptions,
  SfnRuntime,
  type TaskInterceptor,
} from "./runtime.ts";
export { type ServeOptions, type SfnServer, serveSfnApi } from "./server.ts";
export {
  describeRepair,
  type RepairResult,
  repairStore,
  type StoreKind,
} from "./store/index.ts";
