/**
 * Errors of the local platform: each says, in one line, what went wrong and what to do about it,
 * because the person reading it is at a terminal trying `npm start`.
 */

/** Something the user can fix before starting again (busy port, missing Java, bad data dir). */
export class PlatformStartError extends Error {
  override name = "PlatformStartError";
}

/** A CLI command could not reach or use a running platform. */
export class PlatformConnectionError extends Error {
  override name = "PlatformConnectionError";
}
