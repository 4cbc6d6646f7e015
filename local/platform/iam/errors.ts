/** Errors of local IAM enforcement. */

/**
 * AWS's answer to a call the caller's policy does not allow: the same name, fault and status the
 * SDK gives on AWS, and AWS's message naming the principal, the action and the resource.
 */
export class AccessDeniedException extends Error {
  override name = "AccessDeniedException";
  readonly $fault = "client";
  readonly $metadata = { httpStatusCode: 400 };
  constructor(
    readonly principal: string,
    readonly action: string,
    readonly resource: string,
  ) {
    super(
      `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    );
  }
}

/** A call the local IAM check does not know how to authorise: a gap in iam/requests.ts, not a denial. */
export class IamMappingError extends Error {
  override name = "IamMappingError";
}

/** The simulator refused a policy or a request as malformed (a wrong action name, a bad ARN). */
export class IamSimulationError extends Error {
  override name = "IamSimulationError";
}
