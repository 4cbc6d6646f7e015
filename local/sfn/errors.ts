/**
 * Errors of the local Step Functions runtime. `SfnApiError` subclasses carry AWS's exception names
 * (`ExecutionDoesNotExist`, `TaskTimedOut`, ...): the wire API turns any of them into a 400
 * `{"__type", "message"}` in one place, and `@aws-sdk/client-sfn` turns that back into its typed
 * exception of the same name.
 */

/** An API error with AWS's exception name as `name`. */
export class SfnApiError extends Error {
  /** HTTP status the wire API answers with. */
  readonly status: number = 400;
  constructor(
    override readonly name: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function apiError(name: string) {
  return class extends SfnApiError {
    constructor(message: string, options?: { cause?: unknown }) {
      super(name, message, options);
    }
  };
}

export const ExecutionDoesNotExist = apiError("ExecutionDoesNotExist");
export const ExecutionAlreadyExists = apiError("ExecutionAlreadyExists");
export const ExecutionNotRedrivable = apiError("ExecutionNotRedrivable");
export const InvalidDefinition = apiError("InvalidDefinition");
export const InvalidToken = apiError("InvalidToken");
export const TaskDoesNotExist = apiError("TaskDoesNotExist");
export const TaskTimedOut = apiError("TaskTimedOut");
export const StateMachineDoesNotExist = apiError("StateMachineDoesNotExist");
export const StateMachineAlreadyExists = apiError("StateMachineAlreadyExists");
export const StateMachineTypeNotSupported = apiError("StateMachineTypeNotSupported");
export const InvalidArn = apiError("InvalidArn");
export const InvalidName = apiError("InvalidName");
export const InvalidExecutionInput = apiError("InvalidExecutionInput");
export const InvalidOutput = apiError("InvalidOutput");
export const ValidationException = apiError("ValidationException");
export const UnknownOperation = apiError("UnknownOperationException");
export const ThrottlingException = apiError("ThrottlingException");
export const ActivityDoesNotExist = apiError("ActivityDoesNotExist");
export const TooManyTags = apiError("TooManyTags");
export const MissingRequiredParameter = apiError("MissingRequiredParameter");
export const ConflictException = apiError("ConflictException");
export const ResourceNotFound = apiError("ResourceNotFound");

/** A task handler failed; `error`/`errorCause` are what the engine's taskFailed event carries. */
export class TaskInvocationError extends Error {
  override name = "TaskInvocationError";
  constructor(
    readonly error: string,
    readonly errorCause: string,
    options?: { cause?: unknown },
  ) {
    super(`${error}: ${errorCause}`, options);
  }
}

/** The runtime was used after `close()`. */
export class RuntimeClosedError extends Error {
  override name = "RuntimeClosedError";
  constructor(options?: { cause?: unknown }) {
    super("The Step Functions runtime is closed; create a new one with createRuntime()", options);
  }
}

/** The store lacks something it must hold (a definition an execution names): a damaged file. */
export class StoreCorruptError extends Error {
  override name = "StoreCorruptError";
}

/** A write the store refused: the row exists already (the runtime checks first: a bug). */
export class StoreConstraintError extends Error {
  override name = "StoreConstraintError";
}

/** A write came after the store was closed (the runtime is shutting down). */
export class StoreClosedError extends Error {
  override name = "StoreClosedError";
  constructor(options?: { cause?: unknown }) {
    super("the runtime's store is closed", options);
  }
}

/**
 * The durable store failed its checks on open (a damaged or missing WAL, a database that fails
 * SQLite's integrity check, files that do not match the store's own record of them). The message
 * names the files and the commands that recover (`store/sqlite/integrity.ts`).
 */
export class StoreDamagedError extends Error {
  override name = "StoreDamagedError";
  constructor(
    readonly dataDir: string,
    readonly problems: ReadonlyArray<{ file: string; problem: string }>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
