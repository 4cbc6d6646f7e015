/**
 * State machine versions: `publish` on CreateStateMachine / UpdateStateMachine,
 * PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion. A version is a
 * read-only snapshot of a state machine's definition and role at one revision, named
 * `<machine ARN>:<n>`; per AWS's "State machine versions in Step Functions workflows"
 * (docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html) and the
 * responses AWS recorded (LocalStack's test_sfn_api_versioning snapshots):
 *
 * - publishing is idempotent on the revision: publishing an unchanged machine again returns the
 *   version already published for it;
 * - numbers only grow: a deleted version's number is never given again;
 * - a version an alias routes to cannot be deleted; deleting one that does not exist succeeds.
 */
import { parseStateMachineArn, stateMachineArn } from "../arns.ts";
import {
  ConflictException,
  InvalidArn,
  StateMachineDoesNotExist,
  ValidationException,
} from "../errors.ts";
import type { StateMachineRow, VersionRow } from "../store/index.ts";
import type { ApiContext } from "./context.ts";
import { decodeToken, encodeToken, type Page, pageSize } from "./paging.ts";

/** AWS's limit on version and alias descriptions. */
const MAX_DESCRIPTION = 256;

/** Publishes the machine's current revision (or returns the version already published for it). */
export function publishVersion(
  c: ApiContext,
  row: StateMachineRow,
  description: string | undefined,
): VersionRow {
  const same = c.store.versions.list(row.arn).find((v) => v.revision_id === row.revision_id);
  if (same) return same;
  const number = c.store.versions.takeNumber(row.arn);
  const version: VersionRow = {
    arn: `${row.arn}:${number}`,
    machine_arn: row.arn,
    version: number,
    definition: row.definition,
    role_arn: row.role_arn,
    description: description ?? null,
    created_ms: c.clock.now(),
    revision_id: row.revision_id,
  };
  c.store.versions.insert(version);
  return version;
}

/** CreateStateMachine's and UpdateStateMachine's rule for `versionDescription`. */
export function checkVersionDescription(publish: unknown, description: unknown): void {
  if (description !== undefined && description !== null && publish !== true) {
    throw new ValidationException("Version description can only be set when publish is true");
  }
  checkDescription(description, "versionDescription");
}

export function checkDescription(description: unknown, field: string): void {
  if (description === undefined || description === null) return;
  if (typeof description !== "string") {
    throw new ValidationException(
      `${field} must be a string of at most ${MAX_DESCRIPTION} characters`,
    );
  }
  if (description.length > MAX_DESCRIPTION) {
    throw new ValidationException(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIPTION}`,
    );
  }
}

export function publishStateMachineVersion(
  c: ApiContext,
  req: { stateMachineArn: string; revisionId?: string; description?: string },
) {
  c.open();
  checkDescription(req.description, "description");
  const row = baseMachine(c, req.stateMachineArn);
  if (req.revisionId !== undefined && req.revisionId !== null) {
    const current = row.revision_id;
    if (req.revisionId !== current) {
      throw new ConflictException(
        `Failed to publish the State Machine version for revision ${req.revisionId}. The current State Machine revision is ${current}.`,
      );
    }
  }
  const version = c.store.transaction(() => publishVersion(c, row, req.description));
  return { stateMachineVersionArn: version.arn, creationDate: new Date(version.created_ms) };
}

export function listStateMachineVersions(
  c: ApiContext,
  req: { stateMachineArn: string; maxResults?: number; nextToken?: string },
) {
  c.open();
  const row = baseMachine(c, req.stateMachineArn);
  const limit = pageSize(req.maxResults);
  const offset = decodeToken(req.nextToken, { o: 0 }).o;
  const all = c.store.versions.list(row.arn);
  const out: Page<{ stateMachineVersions: object[] }> = {
    stateMachineVersions: all.slice(offset, offset + limit).map((v) => ({
      stateMachineVersionArn: v.arn,
      creationDate: new Date(v.created_ms),
    })),
  };
  if (offset + limit < all.length) out.nextToken = encodeToken({ o: offset + limit });
  return out;
}

export function deleteStateMachineVersion(c: ApiContext, req: { stateMachineVersionArn: string }) {
  c.open();
  const arn = req.stateMachineVersionArn;
  const { name, qualifier } = parseStateMachineArn(arn, "stateMachineVersionArn");
  if (!qualifier || !/^\d+$/.test(qualifier)) throw wrongKindOfArn(arn);
  const machineArn = stateMachineArn(c.account, name);
  const referencing = c.store.aliases
    .list(machineArn)
    .filter((a) => routesTo(a.routing, arn))
    .map((a) => a.name);
  if (referencing.length > 0) {
    throw new ConflictException(
      `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencing.join(", ")}]`,
    );
  }
  c.store.versions.delete(arn);
  return {};
}

/** The version a version ARN names, or StateMachineDoesNotExist naming that ARN. */
export function versionRow(c: ApiContext, arn: string): VersionRow {
  const version = c.store.versions.get(arn);
  if (!version) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
  return version;
}

/**
 * The revision id of a state machine as created: AWS shows none until the first update, so the
 * first revision has this fixed id (a version published from it shows none either).
 */
export const INITIAL_REVISION = "INITIAL";

/** The revision id AWS shows for a machine or a version: none for the first revision. */
export function shownRevisionId(row: { revision_id: string }): string | undefined {
  return row.revision_id === INITIAL_REVISION ? undefined : row.revision_id;
}

/** Whether an alias's routing (JSON text) sends starts to the version `arn`. */
export function routesTo(routing: string, arn: string): boolean {
  return (JSON.parse(routing) as Array<{ stateMachineVersionArn: string }>).some(
    (r) => r.stateMachineVersionArn === arn,
  );
}

/** InvalidArn for an ARN of the wrong kind (a version where a machine is needed, ...). */
export function wrongKindOfArn(arn: string): InstanceType<typeof InvalidArn> {
  return new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

/** The state machine an unqualified ARN names (InvalidArn for a version or alias ARN). */
function baseMachine(c: ApiContext, arn: string): StateMachineRow {
  const { name, qualifier } = parseStateMachineArn(arn);
  if (qualifier) throw wrongKindOfArn(arn);
  const row = c.store.machines.get(stateMachineArn(c.account, name));
  if (!row) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
  return row;
}
