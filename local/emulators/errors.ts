/**
 * Errors of the local emulators (DynamoDB Local, the SES outbox). Each names what to do about it,
 * because the person who sees it is usually running `npm test` or `npm start` for the first time.
 */

/** Java is missing or too old to run DynamoDB Local. */
export class JavaUnavailableError extends Error {
  override name = "JavaUnavailableError";
}

/** An emulator did not start or did not answer in time. */
export class EmulatorStartError extends Error {
  override name = "EmulatorStartError";
}
