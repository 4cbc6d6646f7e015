/** Errors raised while turning the repository's definitions into deployable infrastructure. */

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

/** A definition's placeholder has no value, or a value matches no placeholder. */
export class PlaceholderError extends Error {
  override name = "PlaceholderError";
}
