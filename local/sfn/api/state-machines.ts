/**
 * The state machine actions: CreateStateMachine, UpdateStateMachine (with `publish`: versions),
 * DescribeStateMachine, ListStateMachines, DeleteStateMachine, ValidateStateMachineDefinition.
 * A definition is compiled when it is stored, so an unknown resource is InvalidDefinition here,
 * not a surprise at run time.
 */
import { randomUUID } from "node:crypto";
import { DefinitionError } from "../../asl/errors.ts";
import type { StateMachineType } from "../../asl/types.ts";
import { validateDefinition } from "../../asl/validate.ts";
import { checkName, parseStateMachineArn, requireString, stateMachineArn } from "../arns.ts";
import {
  InvalidDefinition,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  ValidationException,
} from "../errors.ts";
import { knownResourceFor } from "../executor/compile-cache.ts";
import type { StateMachineRow } from "../store/index.ts";
import { type ApiContext, DEFAULT_ROLE } from "./context.ts";
import { decodeToken, encodeToken, type Page, pageSize } from "./paging.ts";

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
  const name = checkName(req.name, "name");
  const type = req.type ?? "STANDARD";
  if (type !== "STANDARD" && type !== "EXPRESS") {
    throw new ValidationException(`type must be STANDARD or EXPRESS, got '${String(type)}'`);
  }
  const definition = checkDefinition(c, req.definition, type);
  const arn = stateMachineArn(c.account, name);
  const roleArn = req.roleArn ?? DEFAULT_ROLE;
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
    revision_id: randomUUID(),
  };
  let versionArn: string | undefined;
  c.store.transaction(() => {
    c.store.machines.insert(row);
    if (req.publish) versionArn = publish(c, row, req.versionDescription);
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
  const row = machineRow(c, req.stateMachineArn);
  if (req.definition === undefined && req.roleArn === undefined) {
    throw new ValidationException("UpdateStateMachine needs a definition or a roleArn to change");
  }
  const updated: StateMachineRow = {
    ...row,
    definition:
      req.definition === undefined ? row.definition : checkDefinition(c, req.definition, row.type),
    role_arn: req.roleArn ?? row.role_arn,
    updated_ms: c.clock.now(),
    revision: row.revision + 1,
    revision_id: randomUUID(),
  };
  let versionArn: string | undefined;
  c.store.transaction(() => {
    c.store.machines.update(updated);
    if (req.publish) versionArn = publish(c, updated, req.versionDescription);
  });
  return {
    updateDate: new Date(updated.updated_ms as number),
    revisionId: updated.revision_id,
    ...(versionArn ? { stateMachineVersionArn: versionArn } : {}),
  };
}

export function describeStateMachine(c: ApiContext, req: { stateMachineArn: string }) {
  c.open();
  const { name, qualifier } = parseStateMachineArn(req.stateMachineArn);
  const row = machineRow(c, stateMachineArn(c.account, name));
  const version = qualifier ? c.store.machines.getVersion(req.stateMachineArn) : undefined;
  if (qualifier && !version) {
    throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${req.stateMachineArn}'`);
  }
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
    revisionId: version?.revision_id ?? row.revision_id,
    ...(row.description ? { description: row.description } : {}),
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
  const { name } = parseStateMachineArn(req.stateMachineArn);
  // Deleting is idempotent on AWS; running executions keep their own copy of the definition.
  c.store.machines.delete(stateMachineArn(c.account, name));
  return {};
}

export function validateStateMachineDefinition(
  c: ApiContext,
  req: { definition: string; type?: StateMachineType },
) {
  const type = req.type ?? "STANDARD";
  let parsed: unknown;
  try {
    parsed = JSON.parse(requireString(req.definition, "definition"));
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
  const diagnostics = validateDefinition(parsed, { type, isKnownResource: knownResourceFor(type) });
  if (!diagnostics.some((d) => d.severity === "ERROR")) {
    try {
      c.executor.compile(req.definition, type);
    } catch (error) {
      if (!(error instanceof DefinitionError)) throw error;
      diagnostics.push(...error.diagnostics);
    }
  }
  return {
    result: diagnostics.some((d) => d.severity === "ERROR") ? ("FAIL" as const) : ("OK" as const),
    diagnostics,
    truncated: false,
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

function publish(c: ApiContext, row: StateMachineRow, description?: string): string {
  const version = (c.store.machines.latestVersion(row.arn)?.version ?? 0) + 1;
  const arn = `${row.arn}:${version}`;
  c.store.machines.insertVersion({
    arn,
    machine_arn: row.arn,
    version,
    definition: row.definition,
    role_arn: row.role_arn,
    description: description ?? null,
    created_ms: c.clock.now(),
    revision_id: row.revision_id,
  });
  return arn;
}
