/**
 * Which linked resources each function gets. Linking grants the resource's permissions, so each
 * function is linked only to what its handler reads through `resource(...)`
 * (functions/shared/resources.ts); `links.test.ts` checks the handlers against this map.
 * A saga task can never link `OrderSaga`: the definition holds the task's ARN, so the task's
 * environment holding the machine's ARN would be a dependency cycle.
 */
import { DeployConfigError } from "./errors.ts";
import {
  answerTasksStatement,
  apiSagaStatements,
  EMAIL_ACTIONS,
  type Statement,
  TABLE_ACTIONS,
} from "./iam.ts";
import type { FunctionName } from "./naming.ts";

/** Linked resource names, as `functions/shared/resources.ts` reads them. */
export const RESOURCE_NAMES = [
  "Table",
  "Email",
  "SigningKey",
  "Api",
  "OrderSaga",
  "Settings",
] as const;

/** A linked resource name. */
export type LinkName = (typeof RESOURCE_NAMES)[number];

/** The resources linked to each function. */
export const FUNCTION_LINKS: Readonly<Record<FunctionName, readonly LinkName[]>> = {
  ValidateOrder: ["Table"],
  ReserveStock: ["Table"],
  // Stores the approval and its task token, mails each approver a signed link to the API.
  RequestApproval: ["Table", "Email", "SigningKey", "Api", "Settings"],
  ChargePayment: ["Table"],
  ShipOrder: ["Table"],
  NotifyCustomer: ["Table", "Email"],
  RefundPayment: ["Table"],
  ReleaseStock: ["Table"],
  MarkOrderFailed: ["Table"],
  // Re-sends signed links before expiry; ends expired waits and re-delivers decisions (SendTask*).
  SendReminders: ["Table", "Email", "SigningKey", "Api", "OrderSaga", "Settings"],
  Api: ["Table", "Email", "SigningKey", "Api", "OrderSaga", "Settings"],
};

/**
 * Picks the linkables a function needs, in a stable order. `available` may lack links the
 * function does not use (task functions are created before the saga they are part of).
 */
export function linksFor<T>(
  fn: FunctionName,
  available: Readonly<Partial<Record<LinkName, T>>>,
): T[] {
  return FUNCTION_LINKS[fn].map((name) => {
    const link = available[name];
    if (link === undefined) {
      throw new DeployConfigError(
        `function ${fn} needs the ${name} link: create it before ${fn} in sst.config.ts`,
      );
    }
    return link;
  });
}

/** The IAM actions each link grants (the stacks' own linkables; the others grant none). */
export const LINK_ACTIONS: Readonly<Record<LinkName, readonly string[]>> = {
  Table: TABLE_ACTIONS,
  Email: EMAIL_ACTIONS,
  SigningKey: [],
  Api: [],
  OrderSaga: [],
  Settings: [],
};

/**
 * Grants on the saga beyond links, by function: the API answers tasks and reads executions, the
 * reminder sweep answers tasks. Linking `OrderSaga` gives its ARN only, never access.
 */
export const SAGA_GRANTS: Readonly<
  Partial<Record<FunctionName, (sagaArn: string) => Statement[]>>
> = {
  Api: apiSagaStatements,
  SendReminders: (arn) => [answerTasksStatement(arn)],
};
