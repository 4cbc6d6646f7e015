/**
 * TagResource, UntagResource and ListTagsForResource on state machines and activities, with AWS's
 * limits (at most 50 tags; keys 1-128 and values 0-256 characters).
 * See https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#concepts-tagging
 */
import type { Tag } from "../activities/activity-store.ts";
import { parseStateMachineArn, stateMachineArn } from "../arns.ts";
import { InvalidArn, ResourceNotFound, TooManyTags, ValidationException } from "../errors.ts";
import type { ApiContext } from "./context.ts";

const MAX_TAGS = 50;

/** Checks a tag list's members as AWS does. */
export function checkTags(tags: unknown): Tag[] {
  if (!Array.isArray(tags)) {
    throw new ValidationException("tags must be a list of {key, value} objects");
  }
  for (const [i, t] of tags.entries()) {
    const tag = t as Partial<Tag> | null;
    if (typeof tag?.key !== "string" || tag.key.length < 1 || tag.key.length > 128) {
      throw new ValidationException(
        `1 validation error detected: Value at 'tags.${i + 1}.member.key' failed to satisfy constraint: Member must have length between 1 and 128`,
      );
    }
    if (tag.value !== undefined && (typeof tag.value !== "string" || tag.value.length > 256)) {
      throw new ValidationException(
        `1 validation error detected: Value at 'tags.${i + 1}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    }
  }
  return (tags as Tag[]).map((t) => ({ key: t.key, value: t.value ?? "" }));
}

/** The tagged resource's ARN once it exists: a state machine or an activity. */
function taggable(c: ApiContext, arn: unknown): string {
  if (typeof arn === "string" && !arn.startsWith("arn:"))
    throw new InvalidArn(`Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  if (typeof arn !== "string") {
    throw new InvalidArn(`Invalid Arn: '${String(arn)}' is not a state machine or activity ARN`);
  }
  if (arn.includes(":activity:")) {
    if (c.activities.store.get(arn)) return arn;
  } else if (arn.includes(":stateMachine:")) {
    const { name, qualifier } = parseStateMachineArn(arn, "resourceArn");
    if (!qualifier && c.store.machines.get(stateMachineArn(c.account, name))) return arn;
  } else {
    throw new InvalidArn(`Invalid Arn: '${arn}' is not a state machine or activity ARN`);
  }
  throw new ResourceNotFound(`Resource not found: '${arn}'`);
}

export function tagResource(c: ApiContext, req: { resourceArn: string; tags: Tag[] }) {
  c.open();
  const arn = taggable(c, req.resourceArn);
  const tags = checkTags(req.tags);
  const keys = new Set([
    ...c.activities.store.tags(arn).map((t) => t.key),
    ...tags.map((t) => t.key),
  ]);
  if (keys.size > MAX_TAGS) {
    throw new TooManyTags(`Too many tags: a resource has at most ${MAX_TAGS} tags`);
  }
  c.activities.store.putTags(arn, tags);
  return {};
}

export function untagResource(c: ApiContext, req: { resourceArn: string; tagKeys: string[] }) {
  c.open();
  const arn = taggable(c, req.resourceArn);
  if (!Array.isArray(req.tagKeys) || req.tagKeys.some((k) => typeof k !== "string")) {
    throw new ValidationException("tagKeys must be a list of tag keys");
  }
  c.activities.store.removeTags(arn, req.tagKeys);
  return {};
}

export function listTagsForResource(c: ApiContext, req: { resourceArn: string }) {
  c.open();
  return { tags: c.activities.store.tags(taggable(c, req.resourceArn)) };
}

/** A create request's optional tags (CreateStateMachine). */
export interface Tagged {
  tags?: Tag[];
}

/** Creates a resource with `create` and tags it: bad tags fail first, creating nothing. */
export function withTags<T extends { stateMachineArn: string }>(
  c: ApiContext,
  tags: unknown,
  create: () => T,
): T {
  const checked = tags === undefined ? [] : checkTags(tags);
  const out = create();
  if (checked.length > 0) c.activities.store.putTags(out.stateMachineArn, checked);
  return out;
}

/** A deleted state machine's tags go with it. */
export function dropTags(c: ApiContext, arn: string): void {
  c.activities.store.removeTags(
    arn,
    c.activities.store.tags(arn).map((t) => t.key),
  );
}
