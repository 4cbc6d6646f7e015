/**
 * The state machine actions: CreateStateMachine, UpdateStateMachine (with `publish`: versions,
 * `versions.ts`), DescribeStateMachine (of a machine or a version), ListStateMachines,
 * DeleteStateMachine (with its versions and aliases), ValidateStateMachineDefinition.
 * A definition is compiled when it is stored, so an unknown resource is InvalidDefinition here,
 * not a surprise at run time.
 */
import { randomUUID } from "node:crypto";
import { DefinitionError } from "../../asl/errors.ts";
import { awsWarnings } from "../../asl/lint/index.ts";
import type { StateMachineType } from "../../asl/types.ts";
import { validateDefinition } from "../../asl/validate.ts";
import { checkName, parseStateMachineArn, requireString, stateMachineArn } from "../arns.ts";
import {
  InvalidDefinition,
  MissingRequiredParameter,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  ValidationException,
} from "../errors.ts";
import { knownResourceFor } from "../executor/compile-cache.ts";
import { unknownResourceReason } from "../invokers/resources.ts";
import type { StateMachineRow } from "../store/index.ts";
import { type ApiContext, DEFAULT_ROLE } from "./context.ts";
import { checkDefinitionSize, checkRoleArn, jsonTooDeep, tooDeepMessage } from "./limits.ts";
import { decodeToken, encodeToken, type Page, pageSize } from "./paging.ts";
import {
  checkVersionDescription,
  INITIAL_REVISION,
  publishVersion,
  shownRevisionId,
  versionRow,
  wrongKindOfArn,
} from "./versions.ts";

export function createStateMachine(
  c: ApiContext,
  req: {
    name: string;
    definition: string;
    roleArn?: string;
    type?: StateMachineType;
    description?: string;
    publish?: boolean;
    versionDescription?: string;
  },
) {
  c.open();
  checkVersionDescription(req.publish, req.versionDescription);
  const name = checkName(req.name, "name");
  const type = req.type ?? "STANDARD";
  if (type !== "STANDARD" && type !== "EXPRESS") {
    throw new ValidationException(`type must be STANDARD or EXPRESS, got '${String(type)}'`);
  }
  const definition = checkDefinition(c, req.definition, type);
  const arn = stateMachineArn(c.account, name);
  const roleArn = req.roleArn === undefined ? DEFAULT_ROLE : checkRoleArn(req.roleArn);
  const existing = c.store.machines.get(arn);
  if (existing) {
    if (
      existing.definition === definition &&
      existing.role_arn === roleArn &&
      existing.type === type
    ) {
      return { stateMachineArn: arn, creationDate: new Date(existing.created_ms) };
    }
    throw new StateMachineAlreadyExists(`State Machine Already Exists: '${arn}'`);
  }
  const now = c.clock.now();
  const row: StateMachineRow = {
    arn,
    name,
    type,
    definition,
    role_arn: roleArn,
    description: req.description ?? null,
    created_ms: now,
    updated_ms: null,
    revision: 1,
    revision_id: INITIAL_REVISION,
  };
  let versionArn: string | undefined;
  c.store.transaction(() => {
    c.store.machines.insert(row);
    if (req.publish) versionArn = publishVersion(c, row, req.versionDescription).arn;
  });
  return {
    stateMachineArn: arn,
    creationDate: new Date(now),
    ...(versionArn ? { stateMachineVersionArn: versionArn } : {}),
  };
}

export function updateStateMachine(
  c: ApiContext,
  req: {
    stateMachineArn: string;
    definition?: string;
    roleArn?: string;
    publish?: boolean;
    versionDescription?: string;
  },
) {
  c.open();
  // A version is read-only: AWS answers as if no such machine existed.
  if (parseStateMachineArn(req.stateMachineArn).qualifier) {
    throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${req.stateMachineArn}'`);
  }
  const row = machineRow(c, req.stateMachineArn);
  const more = req as { loggingConfiguration?: unknown; tracingConfiguration?: unknown };
  if (
    req.definition === undefined &&
    req.roleArn === undefined &&
    more.loggingConfiguration === undefined &&
    more.tracingConfiguration === undefined
  ) {
    // AWS's name and words for an update that names nothing to change.
    throw new MissingRequiredParameter(
      "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
    );
  }
  checkVersionDescription(req.publish, req.versionDescription);
  const definition =
    req.definition === undefined ? row.definition : checkDefinition(c, req.definition, row.type);
  const roleArn = req.roleArn === undefined ? row.role_arn : checkRoleArn(req.roleArn);
  const now = c.clock.now();
  // Only a change makes a new revision (and a revisionId in the answer), as on AWS.
  const changed = definition !== row.definition || roleArn !== row.role_arn;
  const updated: StateMachineRow = changed
    ? {
        ...row,
        definition,
        role_arn: roleArn,
        updated_ms: now,
        revision: row.revision + 1,
        revision_id: randomUUID(),
      }
    : row;
  let versionArn: string | undefined;
  c.store.transaction(() => {
    if (changed) c.store.machines.update(updated);
    if (req.publish) versionArn = publishVersion(c, updated, req.versionDescription).arn;
  });
  return {
    updateDate: new Date(now),
    ...(changed ? { revisionId: updated.revision_id } : {}),
    ...(versionArn ? { stateMachineVersionArn: versionArn } : {}),
  };
}

export function describeStateMachine(c: ApiContext, req: { stateMachineArn: string }) {
  c.open();
  const { name, qualifier } = parseStateMachineArn(req.stateMachineArn);
  if (qualifier && !/^\d+$/.test(qualifier)) throw wrongKindOfArn(req.stateMachineArn);
  const row = machineRow(c, stateMachineArn(c.account, name));
  const version = qualifier ? versionRow(c, req.stateMachineArn) : undefined;
  const revisionId = shownRevisionId(version ?? row);
  const description = version ? version.description : row.description;
  return {
    stateMachineArn: version?.arn ?? row.arn,
    name: row.name,
    status: "ACTIVE" as const,
    definition: version?.definition ?? row.definition,
    roleArn: version?.role_arn ?? row.role_arn,
    type: row.type,
    creationDate: new Date(version?.created_ms ?? row.created_ms),
    loggingConfiguration: { level: "OFF" as const, includeExecutionData: false },
    tracingConfiguration: { enabled: false },
    ...(revisionId ? { revisionId } : {}),
    ...(description ? { description } : {}),
  };
}

export function listStateMachines(
  c: ApiContext,
  req: { maxResults?: number; nextToken?: string } = {},
) {
  c.open();
  const limit = pageSize(req.maxResults);
  const offset = decodeToken(req.nextToken, { o: 0 }).o;
  const all = c.store.machines.list();
  const page = all.slice(offset, offset + limit);
  const out: Page<{ stateMachines: object[] }> = {
    stateMachines: page.map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: m.type,
      creationDate: new Date(m.created_ms),
    })),
  };
  if (offset + limit < all.length) out.nextToken = encodeToken({ o: offset + limit });
  return out;
}

export function deleteStateMachine(c: ApiContext, req: { stateMachineArn: string }) {
  c.open();
  const { name, qualifier } = parseStateMachineArn(req.stateMachineArn);
  if (qualifier) {
    throw new ValidationException(
      `DeleteStateMachine takes an unqualified state machine ARN; delete a version with DeleteStateMachineVersion and an alias with DeleteStateMachineAlias ('${req.stateMachineArn}')`,
    );
  }
  // Deleting is idempotent on AWS; running executions keep their own copy of the definition.
  // The machine's versions and aliases go with it.
  const arn = stateMachineArn(c.account, name);
  c.store.transaction(() => {
    c.store.machines.delete(arn);
    c.store.versions.deleteAll(arn);
    c.store.aliases.deleteAll(arn);
  });
  return {};
}

export function validateStateMachineDefinition(
  c: ApiContext,
  req: {
    definition: string;
    type?: StateMachineType;
    /** `WARNING` also returns AWS's warnings (NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC). */
    severity?: "ERROR" | "WARNING";
    maxResults?: number;
  },
) {
  const type = req.type ?? "STANDARD";
  const severity = req.severity ?? "ERROR";
  if (severity !== "ERROR" && severity !== "WARNING") {
    throw new ValidationException(
      `1 validation error detected: Value '${String(severity)}' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]`,
    );
  }
  const maxResults = req.maxResults ?? 100;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 100) {
    throw new ValidationException(
      `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`,
    );
  }
  const text = requireString(req.definition, "definition");
  checkDefinitionSize(text);
  if (jsonTooDeep(text)) {
    return {
      result: "FAIL" as const,
      diagnostics: [
        {
          severity: "ERROR" as const,
          code: "INVALID_JSON_DESCRIPTION",
          message: tooDeepMessage("The definition"),
        },
      ],
      truncated: false,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (error instanceof ValidationException) throw error;
    return {
      result: "FAIL" as const,
      diagnostics: [
        {
          severity: "ERROR" as const,
          code: "INVALID_JSON_DESCRIPTION",
          message: `The definition is not JSON: ${(error as Error).message}`,
        },
      ],
      truncated: false,
    };
  }
  const diagnostics = validateDefinition(parsed, {
    type,
    isKnownResource: knownResourceFor(type),
    unknownResourceReason,
  });
  if (!diagnostics.some((d) => d.severity === "ERROR")) {
    try {
      c.executor.compile(req.definition, type);
    } catch (error) {
      if (!(error instanceof DefinitionError)) throw error;
      diagnostics.push(...error.diagnostics);
    }
  }
  const failed = diagnostics.some((d) => d.severity === "ERROR");
  // Warnings only for a definition without errors, as AWS reports them: `severity: WARNING`
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html).
  if (severity === "WARNING" && !failed) diagnostics.push(...awsWarnings(parsed));
  // maxResults 0 means the default (100), as for AWS's other list limits.
  const limit = maxResults === 0 ? 100 : maxResults;
  return {
    result: failed ? ("FAIL" as const) : ("OK" as const),
    // AWS's members only: a hint (how to fix it) is for the CLI, not the API's answer.
    diagnostics: diagnostics.slice(0, limit).map(({ hint: _hint, ...d }) => d),
    truncated: diagnostics.length > limit,
  };
}

/** The state machine named by `arn` (a version's ARN names its machine); StateMachineDoesNotExist. */
export function machineRow(
  c: ApiContext,
  arn: string,
  name = parseStateMachineArn(arn).name,
): StateMachineRow {
  // The caller's ARN string is usually the machine's own: its hash is cached, a built one's not.
  const row = c.store.machines.get(arn) ?? c.store.machines.get(stateMachineArn(c.account, name));
  if (!row) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
  return row;
}

function checkDefinition(c: ApiContext, definition: unknown, type: StateMachineType): string {
  const text = requireString(definition, "definition");
  checkDefinitionSize(text);
  if (jsonTooDeep(text)) {
    throw new InvalidDefinition(
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${tooDeepMessage("The definition")}'`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinition(
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(error as Error).message}'`,
      { cause: error },
    );
  }
  try {
    c.executor.compile(text, type);
  } catch (error) {
    if (error instanceof DefinitionError) {
      throw new InvalidDefinition(`Invalid State Machine Definition: '${error.awsText}'`, {
        cause: error,
      });
    }
    throw error;
  }
  return text;
}
