/**
 * Infrastructure failures a retry can cure — the database or a service is unreachable, slow,
 * throttling or briefly failing — told apart from failures a retry cannot cure, and surfaced under
 * one error name the state machine can match: `TransientInfrastructureError`.
 *
 * Why a name of our own: Lambda reports a thrown error by its `name`, and an SDK call that could
 * not reach DynamoDB throws Node's `Error` (`code: ECONNREFUSED`) or the SDK's `TimeoutError`
 * once the client's own retries are spent; an ASL `ErrorEquals` cannot match on a code or a
 * status. A handler that rethrows such an error as {@link TransientInfrastructureError} lets the
 * saga's Retry outlast an outage (stacks/order-saga.asl.json) while a bug (`TypeError`) or a final
 * business answer (`PaymentDeclined`) still fails at once.
 *
 * What counts as transient follows the AWS SDK's own retry classification (@smithy's
 * service-error-classification: throttling names, transient names, 5xx and 429 statuses, Node's
 * connection error codes, and the `$retryable` hint a service gives), checked along the `cause`
 * chain because Powertools wraps persistence failures in `IdempotencyPersistenceLayerError`.
 */

/** A call failed for a reason a later retry can cure; `cause` is the original error. */
export class TransientInfrastructureError extends Error {
  override name = "TransientInfrastructureError";
}

/** Node socket errors: nothing answered, the connection broke, or DNS was briefly wrong. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** AWS error names for throttling and transient service faults (the SDK retries these too). */
const TRANSIENT_NAMES = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "RequestThrottled",
  "RequestThrottledException",
  "RequestLimitExceeded",
  "SlowDown",
  "PriorRequestNotComplete",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TransactionInProgressException",
]);

/** HTTP statuses that mean "try again later". */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Whether `error` (or an error it wraps) is an infrastructure failure a retry can cure. */
export function isTransientInfrastructure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const e = current as ErrorShape;
    if (e.name === "TransientInfrastructureError") return true;
    if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return true;
    if (typeof e.name === "string" && TRANSIENT_NAMES.has(e.name)) return true;
    if (e.$retryable) return true;
    const status = e.$metadata?.httpStatusCode;
    if (typeof status === "number" && TRANSIENT_STATUSES.has(status)) return true;
    current = e.cause;
  }
  return false;
}

/**
 * `error` as the state machine should see it: a {@link TransientInfrastructureError} naming the
 * original when it is transient, otherwise `error` itself (a domain error keeps its own name).
 */
export function surfaceTransient(error: unknown): unknown {
  if (error instanceof TransientInfrastructureError || !isTransientInfrastructure(error)) {
    return error;
  }
  const e = error as ErrorShape;
  const what = [e.name, e.code].filter((x) => typeof x === "string").join(" ");
  return new TransientInfrastructureError(
    `A dependency failed transiently (${what || "unknown"}: ${String(e.message ?? error)}); retry`,
    { cause: error },
  );
}

/** Wraps a Lambda handler so transient infrastructure failures surface as one retryable name. */
export function withTransientErrors<A extends unknown[], R>(
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw surfaceTransient(error);
    }
  };
}
