/**
 * The activity actions: CreateActivity, DescribeActivity, ListActivities, DeleteActivity and
 * GetActivityTask (the long poll, `activities/activity-tasks.ts`), with AWS's checks and messages.
 * Workers answer with the task token through SendTaskSuccess/Failure/Heartbeat (`task-tokens.ts`).
 * See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html
 */
import type { ActivityRow, Tag } from "../activities/activity-store.ts";
import { isValidName } from "../arns.ts";
import { ActivityDoesNotExist, InvalidArn, InvalidName, ValidationException } from "../errors.ts";
import type { ApiContext } from "./context.ts";
import { decodeToken, encodeToken, pageSize } from "./paging.ts";
import { checkTags } from "./tags.ts";

const ACTIVITY_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:activity:([^:]+)$/;
export function activityArn(c: ApiContext, name: string): string {
  return `arn:aws:states:${c.account.region}:${c.account.accountId}:activity:${name}`;
}

/** Checks an activity ARN's shape, in AWS's words; InvalidArn otherwise. */
export function checkActivityArn(arn: unknown, field = "activityArn"): string {
  if (typeof arn === "string" && !arn.startsWith("arn:"))
    throw new InvalidArn(`Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  if (typeof arn !== "string" || !ACTIVITY_ARN.test(arn)) {
    throw new InvalidArn(`Invalid Arn: '${String(arn)}' is not an activity ARN (${field})`);
  }
  return arn;
}

function activityRow(c: ApiContext, arn: string): ActivityRow {
  const row = c.activities.store.get(arn);
  if (!row) throw new ActivityDoesNotExist(`Activity Does Not Exist: '${arn}'`);
  return row;
}

/** Idempotent, as on AWS: the same name answers with the activity that exists. */
export function createActivity(c: ApiContext, req: { name: string; tags?: Tag[] }) {
  c.open();
  const name = req.name;
  // The activity's message is the name alone (the state machine's adds the rule).
  if (!isValidName(name)) throw new InvalidName(`Invalid Name: '${String(name)}'`);
  const tags = checkTags(req.tags ?? []);
  const arn = activityArn(c, name);
  const existing = c.activities.store.get(arn);
  if (existing) return { activityArn: arn, creationDate: new Date(existing.created_ms) };
  const row = { arn, name, created_ms: c.clock.now() };
  c.activities.store.insert(row);
  if (tags.length > 0) c.activities.store.putTags(arn, tags);
  return { activityArn: arn, creationDate: new Date(row.created_ms) };
}

export function describeActivity(c: ApiContext, req: { activityArn: string }) {
  c.open();
  const row = activityRow(c, checkActivityArn(req.activityArn));
  return { activityArn: row.arn, name: row.name, creationDate: new Date(row.created_ms) };
}

export function listActivities(c: ApiContext, req: { maxResults?: number; nextToken?: string }) {
  c.open();
  const limit = pageSize(req.maxResults);
  const offset = decodeToken(req.nextToken, 0);
  const all = c.activities.store.list();
  const page = all.slice(offset, offset + limit);
  return {
    activities: page.map((r) => ({
      activityArn: r.arn,
      name: r.name,
      creationDate: new Date(r.created_ms),
    })),
    ...(offset + limit < all.length ? { nextToken: encodeToken(offset + limit) } : {}),
  };
}

/** Deleting an activity that is not there succeeds, as on AWS. */
export function deleteActivity(c: ApiContext, req: { activityArn: string }) {
  c.open();
  const arn = checkActivityArn(req.activityArn);
  const tags = c.activities.store.tags(arn).map((t) => t.key);
  c.activities.store.delete(arn);
  c.activities.store.removeTags(arn, tags);
  return {};
}

/**
 * Waits up to 60 seconds for a task of the activity; `{}` (no taskToken) when none came.
 * See https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html
 */
export async function getActivityTask(
  c: ApiContext,
  req: { activityArn: string; workerName?: string },
) {
  c.open();
  const arn = checkActivityArn(req.activityArn);
  if (
    req.workerName !== undefined &&
    (typeof req.workerName !== "string" || req.workerName.length > 80)
  ) {
    throw new ValidationException(
      "1 validation error detected: Value at 'workerName' failed to satisfy constraint: Member must have length less than or equal to 80",
    );
  }
  activityRow(c, arn);
  return c.activities.tasks.take(arn, req.workerName);
}
