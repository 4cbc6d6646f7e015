/** Errors raised while turning the repository's definitions into deployable infrastructure. */

/** An ASL file's placeholders and the values offered for them do not match one to one. */
export class PlaceholderError extends Error {
  override name = "PlaceholderError";
  /** Placeholders the definition uses that were given no value. */
  readonly missing: string[];
  /** Values given for placeholders the definition does not use. */
  readonly unused: string[];
  constructor(
    message: string,
    detail: { missing: string[]; unused: string[] },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.missing = detail.missing;
    this.unused = detail.unused;
  }
}

/** A deploy-time setting is missing or malformed; the message names the variable and the fix. */
export class DeployConfigError extends Error {
  override name = "DeployConfigError";
}

/** A name cannot be turned into a valid AWS resource name. */
export class NamingError extends Error {
  override name = "NamingError";
}

/** A value passed where an ARN of a given kind was expected is not one. */
export class InvalidArnError extends Error {
  override name = "InvalidArnError";
}
