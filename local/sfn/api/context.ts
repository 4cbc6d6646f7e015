/**
 * What the Step Functions actions (`api/*.ts`) share: the account, the clock, the store, the
 * executor and the task token codec of one runtime. `SfnRuntime` builds it and hands it to each.
 */
import type { ActivityStore } from "../activities/activity-store.ts";
import type { ActivityTasks } from "../activities/activity-tasks.ts";
import type { Account } from "../arns.ts";
import type { Clock } from "../clock.ts";
import { RuntimeClosedError } from "../errors.ts";
import type { Executor } from "../executor/executor.ts";
import type { MockedTasks } from "../mock-config/mocked-tasks.ts";
import type { Store } from "../store/index.ts";
import type { TokenCodec } from "../tokens.ts";

export interface ApiContext {
  readonly account: Account;
  readonly clock: Clock;
  readonly store: Store;
  readonly executor: Executor;
  readonly tokens: TokenCodec;
  /** Activities, their queued tasks and the tags of state machines and activities. */
  readonly activities: { store: ActivityStore; tasks: ActivityTasks };
  /** A number in [0, 1): which version a start through a weighted alias runs. */
  readonly random: () => number;
  /** The mock config's test cases, when the runtime has one (`<arn>#<testCase>` starts). */
  readonly mocks?: MockedTasks | undefined;
  /** Throws RuntimeClosedError once the runtime is closed. */
  open(): void;
}

export const DEFAULT_ROLE = "arn:aws:iam::123456789012:role/countersign-local";

/** The `open` check of a runtime with this closed flag. */
export function openCheck(isClosed: () => boolean): () => void {
  return () => {
    if (isClosed()) throw new RuntimeClosedError();
  };
}
