/**
 * What a state machine ARN given to StartExecution, StartSyncExecution or ListExecutions names:
 * the machine itself, one of its versions (`…:stateMachine:name:3`) or one of its aliases
 * (`…:stateMachine:name:prod`). A start through an alias runs the version its routing draws.
 */
import { parseStateMachineArn, stateMachineArn } from "../arns.ts";
import { StateMachineDoesNotExist } from "../errors.ts";
import type { StateMachineRow, VersionRow } from "../store/index.ts";
import { aliasRow, routeStart } from "./aliases.ts";
import type { ApiContext } from "./context.ts";
import { machineRow } from "./state-machines.ts";
import { versionRow } from "./versions.ts";

export interface StartTarget {
  machine: StateMachineRow;
  /** The version that runs: the one named, or the one the alias routed to. */
  version?: VersionRow;
  /** The alias the start went through. */
  aliasArn?: string;
}

/** Resolves a start's `stateMachineArn`; StateMachineDoesNotExist naming it when it names nothing. */
export function startTarget(c: ApiContext, arn: string): StartTarget {
  const { name, qualifier } = parseStateMachineArn(arn);
  const machine = machineRow(c, arn, name);
  if (!qualifier) return { machine };
  if (/^\d+$/.test(qualifier)) return { machine, version: versionRow(c, arn) };
  const alias = c.store.aliases.get(arn);
  if (!alias) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
  return { machine, version: versionRow(c, routeStart(alias, c.random)), aliasArn: arn };
}

/**
 * What ListExecutions filters on: the machine's ARN for an unqualified one (every execution of
 * the machine), the version's ARN for a version, the alias for an alias.
 */
export function listTarget(c: ApiContext, arn: string): { machineArn: string; aliasArn?: string } {
  const { name, qualifier } = parseStateMachineArn(arn);
  if (!qualifier) return { machineArn: machineRow(c, stateMachineArn(c.account, name)).arn };
  if (/^\d+$/.test(qualifier)) return { machineArn: versionRow(c, arn).arn };
  const alias = aliasRow(c, arn);
  return { machineArn: alias.machine_arn, aliasArn: alias.arn };
}
