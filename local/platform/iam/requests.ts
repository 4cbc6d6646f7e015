/**
 * What an AWS SDK call asks IAM for: the action and the resource ARN(s) AWS authorises it
 * against, from the client, the command and its input — the same (action, resource) pairs an
 * AccessDeniedException names on AWS. DynamoDB transactions are authorised per item as the item's
 * own action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem; GetItem for TransactGetItems),
 * batch calls per table; SES mail against the sender's identity and the configuration set;
 * Step Functions' task answers against the state machine that issued the token.
 */
import { IamMappingError } from "./errors.ts";

/** One authorisation AWS performs for a call. */
export interface IamRequest {
  action: string;
  resource: string;
}

/** Where the call is made: region, account, and how to find a task token's state machine. */
export interface CallSite {
  region: string;
  accountId: string;
  /** The state machine ARN a task token belongs to (undefined: not a token of this platform). */
  tokenStateMachine?: (token: string) => string | undefined;
}

const SERVICES: Readonly<Record<string, string>> = {
  DynamoDBClient: "dynamodb",
  SESv2Client: "ses",
  SFNClient: "states",
};

type Input = Record<string, unknown>;

/** The IAM requests for `command` (e.g. `GetItemCommand`) of `client` (e.g. `DynamoDBClient`). */
export function iamRequests(
  clientName: string,
  commandName: string,
  input: Input,
  site: CallSite,
): IamRequest[] {
  const service = SERVICES[clientName];
  const operation = commandName.replace(/Command$/, "");
  if (!service) {
    throw new IamMappingError(
      `no IAM mapping for ${clientName}.${operation}: add the service to local/platform/iam/requests.ts`,
    );
  }
  const arn = (resource: string) =>
    `arn:aws:${service}:${site.region}:${site.accountId}:${resource}`;
  const action = `${service}:${operation}`;
  switch (service) {
    case "dynamodb":
      return dynamodb(operation, input, (t) => arn(`table/${t}`));
    case "ses":
      return ses(operation, action, input, arn);
    default:
      return states(operation, action, input, site);
  }
}

function dynamodb(operation: string, input: Input, table: (name: string) => string): IamRequest[] {
  const one = (op: string, name: unknown) => ({
    action: `dynamodb:${op}`,
    resource: table(String(name)),
  });
  switch (operation) {
    case "TransactWriteItems":
      return (input.TransactItems as Input[]).map((item) => {
        const [kind, body] = Object.entries(item)[0] as [string, Input];
        const op = {
          Put: "PutItem",
          Update: "UpdateItem",
          Delete: "DeleteItem",
          ConditionCheck: "ConditionCheckItem",
        }[kind];
        if (!op) throw new IamMappingError(`unknown TransactWriteItems entry "${kind}"`);
        return one(op, body.TableName);
      });
    case "TransactGetItems":
      return (input.TransactItems as { Get: Input }[]).map((item) =>
        one("GetItem", item.Get.TableName),
      );
    case "BatchGetItem":
    case "BatchWriteItem":
      return Object.keys(input.RequestItems as Input).map((name) => one(operation, name));
    case "Query":
    case "Scan":
      return [
        {
          action: `dynamodb:${operation}`,
          resource:
            table(String(input.TableName)) + (input.IndexName ? `/index/${input.IndexName}` : ""),
        },
      ];
    default:
      if (typeof input.TableName !== "string") {
        throw new IamMappingError(`no IAM mapping for dynamodb:${operation} (no TableName)`);
      }
      return [one(operation, input.TableName)];
  }
}

function ses(
  operation: string,
  action: string,
  input: Input,
  arn: (resource: string) => string,
): IamRequest[] {
  if (operation !== "SendEmail") {
    throw new IamMappingError(
      `no IAM mapping for ses:${operation}: add it to local/platform/iam/requests.ts`,
    );
  }
  const from = String(input.FromEmailAddress ?? "");
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const out = [{ action, resource: arn(`identity/${address.trim()}`) }];
  if (typeof input.ConfigurationSetName === "string") {
    out.push({ action, resource: arn(`configuration-set/${input.ConfigurationSetName}`) });
  }
  return out;
}

function states(operation: string, action: string, input: Input, site: CallSite): IamRequest[] {
  if (typeof input.stateMachineArn === "string")
    return [{ action, resource: input.stateMachineArn }];
  if (typeof input.executionArn === "string") return [{ action, resource: input.executionArn }];
  if (typeof input.taskToken === "string") {
    // A token that is not one of ours is refused by the service (InvalidToken), not by IAM.
    const machine = site.tokenStateMachine?.(input.taskToken);
    return machine ? [{ action, resource: machine }] : [];
  }
  throw new IamMappingError(
    `no IAM mapping for states:${operation}: add it to local/platform/iam/requests.ts`,
  );
}
