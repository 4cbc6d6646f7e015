/**
 * State machine aliases: Create/Update/Describe/List/DeleteStateMachineAlias, and what a start
 * through an alias runs. An alias (`<machine ARN>:<name>`) routes each start to one of one or two
 * versions of its machine, by weight; per AWS's "State machine aliases in Step Functions
 * workflows" (docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html),
 * with the validation messages AWS recorded (LocalStack's test_sfn_api_aliasing snapshots).
 */
import { parseStateMachineArn, stateMachineArn } from "../arns.ts";
import {
  ConflictException,
  ResourceNotFound,
  StateMachineDoesNotExist,
  ValidationException,
} from "../errors.ts";
import type { AliasRow } from "../store/index.ts";
import type { ApiContext } from "./context.ts";
import { decodeToken, encodeToken, type Page, pageSize } from "./paging.ts";
import { checkDescription, routesTo, versionRow, wrongKindOfArn } from "./versions.ts";

export interface RoutingItem {
  stateMachineVersionArn: string;
  weight: number;
}

const NAME_PATTERN = "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$";
const NAME = new RegExp(NAME_PATTERN);

export function createStateMachineAlias(
  c: ApiContext,
  req: { name: string; description?: string; routingConfiguration: RoutingItem[] },
) {
  c.open();
  const name = checkAliasName(req.name);
  checkDescription(req.description, "description");
  const routing = checkRouting(c, req.routingConfiguration);
  const machineArn = machineOf(routing);
  const arn = `${machineArn}:${name}`;
  const description = req.description ?? null;
  const existing = c.store.aliases.get(arn);
  if (existing) {
    // Idempotent for the very same request only.
    if (existing.description === description && sameRouting(existing.routing, routing)) {
      return { stateMachineAliasArn: arn, creationDate: new Date(existing.created_ms) };
    }
    throw new ConflictException(
      "Failed to create alias because an alias with the same name and a different routing configuration already exists.",
    );
  }
  const now = c.clock.now();
  c.store.aliases.put({
    arn,
    machine_arn: machineArn,
    name,
    description,
    routing: JSON.stringify(routing),
    created_ms: now,
    updated_ms: now,
  });
  return { stateMachineAliasArn: arn, creationDate: new Date(now) };
}

export function updateStateMachineAlias(
  c: ApiContext,
  req: { stateMachineAliasArn: string; description?: string; routingConfiguration?: RoutingItem[] },
) {
  c.open();
  const alias = aliasRow(c, req.stateMachineAliasArn);
  if (req.description === undefined && req.routingConfiguration === undefined) {
    throw new ValidationException(
      "UpdateStateMachineAlias needs a description or a routingConfiguration to change",
    );
  }
  checkDescription(req.description, "description");
  let routing = alias.routing;
  if (req.routingConfiguration !== undefined) {
    const items = checkRouting(c, req.routingConfiguration);
    if (machineOf(items) !== alias.machine_arn) {
      throw new ValidationException(
        `Routing configuration must contain versions of the alias's state machine '${alias.machine_arn}'`,
      );
    }
    routing = JSON.stringify(items);
  }
  const now = c.clock.now();
  c.store.aliases.put({
    ...alias,
    description: req.description === undefined ? alias.description : req.description,
    routing,
    updated_ms: now,
  });
  return { updateDate: new Date(now) };
}

export function describeStateMachineAlias(c: ApiContext, req: { stateMachineAliasArn: string }) {
  c.open();
  const alias = aliasRow(c, req.stateMachineAliasArn);
  return {
    stateMachineAliasArn: alias.arn,
    name: alias.name,
    ...(alias.description !== null ? { description: alias.description } : {}),
    routingConfiguration: JSON.parse(alias.routing) as RoutingItem[],
    creationDate: new Date(alias.created_ms),
    updateDate: new Date(alias.updated_ms),
  };
}

/** The aliases of a state machine, or of one of its versions (those routing to it). */
export function listStateMachineAliases(
  c: ApiContext,
  req: { stateMachineArn: string; maxResults?: number; nextToken?: string },
) {
  c.open();
  const { name, qualifier } = parseStateMachineArn(req.stateMachineArn);
  const machineArn = stateMachineArn(c.account, name);
  if (qualifier && !/^\d+$/.test(qualifier)) throw wrongKindOfArn(req.stateMachineArn);
  if (qualifier) versionRow(c, req.stateMachineArn);
  else if (!c.store.machines.get(machineArn)) {
    throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${req.stateMachineArn}'`);
  }
  const limit = pageSize(req.maxResults);
  const offset = decodeToken(req.nextToken, { o: 0 }).o;
  let all = c.store.aliases.list(machineArn);
  if (qualifier) all = all.filter((a) => routesTo(a.routing, req.stateMachineArn));
  const out: Page<{ stateMachineAliases: object[] }> = {
    stateMachineAliases: all.slice(offset, offset + limit).map((a) => ({
      stateMachineAliasArn: a.arn,
      creationDate: new Date(a.created_ms),
    })),
  };
  if (offset + limit < all.length) out.nextToken = encodeToken({ o: offset + limit });
  return out;
}

export function deleteStateMachineAlias(c: ApiContext, req: { stateMachineAliasArn: string }) {
  c.open();
  checkAliasArn(req.stateMachineAliasArn);
  // Deleting an alias that does not exist (any more) succeeds, as on AWS.
  c.store.aliases.delete(req.stateMachineAliasArn);
  return {};
}

/**
 * The version a start through `alias` runs: drawn by the routing weights with `random()` (a
 * number in [0, 1)); the runtime's `random` option makes it deterministic in tests.
 */
export function routeStart(alias: AliasRow, random: () => number): string {
  const items = JSON.parse(alias.routing) as RoutingItem[];
  let draw = random() * 100;
  for (const item of items) {
    if (draw < item.weight) return item.stateMachineVersionArn;
    draw -= item.weight;
  }
  // Only reached through rounding at the top end: the last version with any weight.
  const last = [...items].reverse().find((i) => i.weight > 0) ?? items[items.length - 1];
  return (last as RoutingItem).stateMachineVersionArn;
}

/** The alias an alias ARN names; ResourceNotFound as AWS answers for a missing one. */
export function aliasRow(c: ApiContext, arn: string): AliasRow {
  checkAliasArn(arn);
  const alias = c.store.aliases.get(arn);
  if (!alias) throw new ResourceNotFound("Request references a resource that does not exist.");
  return alias;
}

function checkAliasArn(arn: string): void {
  const { qualifier } = parseStateMachineArn(arn, "stateMachineAliasArn");
  if (!qualifier || /^\d+$/.test(qualifier)) throw wrongKindOfArn(arn);
}

function checkAliasName(name: unknown): string {
  const text = typeof name === "string" ? name : "";
  const problem =
    text.length < 1
      ? "Member must have length greater than or equal to 1"
      : text.length > 80
        ? "Member must have length less than or equal to 80"
        : !NAME.test(text)
          ? `Member must satisfy regular expression pattern: ${NAME_PATTERN}`
          : undefined;
  if (problem) {
    throw new ValidationException(
      `1 validation error detected: Value '${text}' at 'name' failed to satisfy constraint: ${problem}`,
    );
  }
  return text;
}

/** AWS's checks of `routingConfiguration`, in its words; the versions must exist. */
function checkRouting(c: ApiContext, value: unknown): RoutingItem[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 2) {
    const items = Array.isArray(value) ? value : [];
    const shown = items
      .map(
        (i: Partial<RoutingItem>) =>
          `RoutingConfigurationListItem(stateMachineVersionArn=${i?.stateMachineVersionArn}, weight=${i?.weight})`,
      )
      .join(", ");
    throw new ValidationException(
      `1 validation error detected: Value '[${shown}]' at 'routingConfiguration' failed to satisfy constraint: Member must have length ${items.length < 1 ? "greater than or equal to 1" : "less than or equal to 2"}`,
    );
  }
  const items = value as RoutingItem[];
  items.forEach((item, i) => {
    const weight = item?.weight;
    if (typeof weight !== "number" || !Number.isInteger(weight) || weight < 0 || weight > 100) {
      const bound =
        typeof weight === "number" && weight > 100
          ? "less than or equal to 100"
          : "greater than or equal to 0";
      throw new ValidationException(
        `1 validation error detected: Value '${String(weight)}' at 'routingConfiguration.${i + 1}.member.weight' failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
  });
  const arns = items.map((i) => String(i.stateMachineVersionArn));
  const isVersion = (arn: string) => {
    try {
      return /^\d+$/.test(parseStateMachineArn(arn).qualifier ?? "");
    } catch {
      return false;
    }
  };
  if (!arns.every(isVersion)) {
    throw new ValidationException(
      `Routing configuration must contain state machine version ARNs. Received: [${arns.join(", ")}]`,
    );
  }
  if (new Set(arns).size !== arns.length) {
    throw new ValidationException(
      `Routing configuration must contain distinct state machine version ARNs. Received: [${arns.join(", ")}]`,
    );
  }
  if (items.reduce((sum, i) => sum + i.weight, 0) !== 100) {
    throw new ValidationException(
      `Sum of routing configuration weights must equal 100. Received: [${items.map((i) => i.weight).join(", ")}]`,
    );
  }
  if (new Set(arns.map((a) => a.slice(0, a.lastIndexOf(":")))).size !== 1) {
    throw new ValidationException(
      `Routing configuration must contain versions of one state machine. Received: [${arns.join(", ")}]`,
    );
  }
  for (const arn of arns) versionRow(c, arn);
  return items.map((i) => ({ stateMachineVersionArn: i.stateMachineVersionArn, weight: i.weight }));
}

function machineOf(routing: RoutingItem[]): string {
  const arn = (routing[0] as RoutingItem).stateMachineVersionArn;
  return arn.slice(0, arn.lastIndexOf(":"));
}

function sameRouting(stored: string, routing: RoutingItem[]): boolean {
  return stored === JSON.stringify(routing);
}
