/**
 * Checks specific to each state type (Task, Wait, Fail, Choice transitions, Parallel, Map), per
 * AWS's state reference pages. Called by `checkState`.
 */
import type { Json } from "../types.ts";
import { describe, isJsonataString, isObject, pointer, type StateScope } from "./context.ts";
import {
  checkJsonataValue,
  checkNumberField,
  checkPathField,
  checkPathOrIntrinsic,
  checkPayloadTemplate,
} from "./expressions.ts";
import type { StateResult } from "./state.ts";

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp with a real date and time (AWS rejects month 13 or hour 25 too). */
function isRfc3339(ts: string): boolean {
  const m = ISO_TIMESTAMP.exec(ts);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as number[];
  const days = new Date(Date.UTC(y as number, mo as number, 0)).getUTCDate();
  return (
    (mo as number) >= 1 &&
    (mo as number) <= 12 &&
    (d as number) >= 1 &&
    (d as number) <= days &&
    (h as number) <= 23 &&
    (mi as number) <= 59 &&
    (s as number) <= 60
  );
}

function exclusive(s: StateScope, fields: string[], needOne: boolean): void {
  const present = fields.filter((f) => s.state[f] !== undefined);
  if (present.length > 1) {
    s.checker.schema(
      pointer(s.at, present[1] as string),
      `State '${s.name}' sets ${present.join(" and ")}; they are mutually exclusive, keep one.`,
    );
  } else if (needOne && present.length === 0) {
    s.checker.schema(s.at, `State '${s.name}' needs exactly one of ${fields.join(", ")}.`);
  }
}

export function checkTask(s: StateScope): void {
  const { state, at, checker: c, language } = s;
  const { options } = c;
  const resource = state.Resource;
  if (resource === undefined) {
    c.schema(
      pointer(at, "Resource"),
      `These fields are required: [Resource]. Set the ARN of the Lambda function or service integration, e.g. "arn:aws:states:::lambda:invoke".`,
    );
  } else if (typeof resource !== "string" || resource === "") {
    c.schema(
      pointer(at, "Resource"),
      `Resource must be an ARN string; found ${describe(resource)}.`,
    );
  } else {
    // AWS names an Express machine's callback or .sync pattern before anything else about it.
    const expressPattern =
      options.type === "EXPRESS" && /\.(waitForTaskToken|sync(:2)?)$/.test(resource);
    if (!expressPattern && (language === "JSONata" ? !isJsonataString(resource) : true)) {
      if (!resource.startsWith("arn:") && !/^\$\{[^}]+\}$/.test(resource)) {
        c.schema(
          pointer(at, "Resource"),
          `The resource provided ${resource} is not an ARN; use a Lambda function ARN or an "arn:aws:states:::" service integration.`,
        );
      } else if (options.isKnownResource && !options.isKnownResource(resource)) {
        c.schema(
          pointer(at, "Resource"),
          options.unknownResourceReason?.(resource) ??
            `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
          "use one of the supported integrations (Lambda, DynamoDB, states:startExecution, activities, aws-sdk) or a known function ARN",
        );
      }
    }
    if (expressPattern) {
      const pattern = resource.slice(resource.lastIndexOf(".")).replace(/:2$/, "");
      c.schema(
        pointer(at, "Resource"),
        `Express state machine does not support '${pattern}' service integration`,
        "use a STANDARD state machine or the request-response form of the resource",
      );
    }
  }
  exclusive(s, ["TimeoutSeconds", "TimeoutSecondsPath"], false);
  exclusive(s, ["HeartbeatSeconds", "HeartbeatSecondsPath"], false);
  const jsonata = language === "JSONata";
  const timeout = checkNumberField(
    c,
    pointer(at, "TimeoutSeconds"),
    "TimeoutSeconds",
    state.TimeoutSeconds,
    jsonata,
    { min: 0, exclusiveMin: true, integer: true, max: 99999999 },
  );
  const heartbeat = checkNumberField(
    c,
    pointer(at, "HeartbeatSeconds"),
    "HeartbeatSeconds",
    state.HeartbeatSeconds,
    jsonata,
    { min: 0, exclusiveMin: true, integer: true, max: 99999999 },
  );
  if (timeout !== undefined && heartbeat !== undefined && heartbeat >= timeout) {
    c.schema(
      pointer(at, "HeartbeatSeconds"),
      `HeartbeatSeconds (${heartbeat}) must be smaller than TimeoutSeconds (${timeout}).`,
    );
  }
  checkPathField(
    c,
    pointer(at, "TimeoutSecondsPath"),
    "TimeoutSecondsPath",
    state.TimeoutSecondsPath,
    "reference",
  );
  checkPathField(
    c,
    pointer(at, "HeartbeatSecondsPath"),
    "HeartbeatSecondsPath",
    state.HeartbeatSecondsPath,
    "reference",
  );
  const credentials = state.Credentials;
  if (credentials !== undefined && !isObject(credentials)) {
    c.schema(
      pointer(at, "Credentials"),
      "Credentials must be an object with RoleArn or RoleArn.$.",
    );
  } else if (credentials !== undefined) {
    // AWS's schema: exactly one of RoleArn / RoleArn.$ (JSONPath) and nothing else.
    const role = jsonata ? ["RoleArn"] : ["RoleArn", "RoleArn.$"];
    const unknown = Object.keys(credentials).filter((k) => !role.includes(k));
    if (!role.some((k) => k in credentials)) {
      c.schema(
        pointer(at, "Credentials"),
        "The field 'RoleArn' is required but was missing",
        "give the IAM role to assume as Credentials.RoleArn",
      );
    }
    // AWS's schema names the missing RoleArn alone.
    if (role.some((k) => k in credentials))
      for (const field of unknown) {
        c.schema(
          pointer(at, "Credentials", field),
          `Field '${field}' is not supported`,
          "Credentials takes only RoleArn",
        );
      }
  }
}

export function checkWait(s: StateScope): void {
  const { state, at, checker: c, language } = s;
  exclusive(s, ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"], true);
  const jsonata = language === "JSONata";
  checkNumberField(c, pointer(at, "Seconds"), "Seconds", state.Seconds, jsonata, {
    min: 0,
    integer: true,
    max: 99999999,
  });
  const ts = state.Timestamp;
  if (ts !== undefined && !(jsonata && isJsonataString(ts))) {
    if (typeof ts !== "string" || !isRfc3339(ts)) {
      c.schema(
        pointer(at, "Timestamp"),
        "String does not match RFC3339 timestamp",
        `write an ISO 8601 timestamp in UTC such as "2026-03-14T01:59:00Z"; found ${describe(ts)}`,
      );
    }
  } else if (ts !== undefined) checkJsonataValue(c, pointer(at, "Timestamp"), "Timestamp", ts);
  checkPathField(c, pointer(at, "SecondsPath"), "SecondsPath", state.SecondsPath, "reference");
  checkPathField(
    c,
    pointer(at, "TimestampPath"),
    "TimestampPath",
    state.TimestampPath,
    "reference",
  );
}

export function checkFail(s: StateScope): void {
  const { state, at, checker: c, language } = s;
  exclusive(s, ["Error", "ErrorPath"], false);
  exclusive(s, ["Cause", "CausePath"], false);
  for (const f of ["Error", "Cause"]) {
    const v = state[f];
    if (v === undefined) continue;
    if (language === "JSONata" && isJsonataString(v)) checkJsonataValue(c, pointer(at, f), f, v);
    else if (typeof v !== "string")
      c.schema(pointer(at, f), `${f} must be a string; found ${describe(v)}.`);
  }
  for (const f of ["ErrorPath", "CausePath"]) {
    if (state[f] !== undefined && language === "JSONPath") {
      checkPathOrIntrinsic(c, pointer(at, f), f, state[f] as Json);
    }
  }
}

export function choiceTransitions(s: StateScope, result: StateResult): void {
  const { state, at } = s;
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, i) => {
      if (isObject(rule) && typeof rule.Next === "string") {
        result.transitions.push({ target: rule.Next, at: pointer(at, "Choices", i, "Next") });
      }
    });
  }
  if (typeof state.Default === "string") {
    result.transitions.push({ target: state.Default, at: pointer(at, "Default") });
  }
}

export function checkParallel(s: StateScope, result: StateResult): void {
  const { state, at, checker: c } = s;
  const branches = state.Branches;
  if (branches === undefined) {
    c.schema(
      pointer(at, "Branches"),
      "These fields are required: [Branches]. A Parallel state needs a non-empty array of branches, each with StartAt and States.",
    );
    return;
  }
  if (Array.isArray(branches) && branches.length === 0) {
    // AWS's words, recorded by TestState.
    c.schema(pointer(at, "Branches"), "Value cannot be empty");
    return;
  }
  if (!Array.isArray(branches)) {
    c.schema(
      pointer(at, "Branches"),
      "Branches must be a non-empty array of branches, each with StartAt and States.",
    );
    return;
  }
  branches.forEach((b, i) => {
    if (!isObject(b))
      c.schema(
        pointer(at, "Branches", i),
        `Each branch must be an object with StartAt and States; found ${describe(b)}.`,
      );
    else result.nested.push({ machine: b, at: pointer(at, "Branches", i), language: s.language });
  });
}

export function checkMap(s: StateScope, result: StateResult): void {
  const { state, at, checker: c, language } = s;
  const processor = state.ItemProcessor ?? state.Iterator;
  const field = state.ItemProcessor !== undefined ? "ItemProcessor" : "Iterator";
  if (state.ItemProcessor !== undefined && state.Iterator !== undefined) {
    c.schema(
      pointer(at, "Iterator"),
      "Map state has both ItemProcessor and Iterator; keep ItemProcessor (Iterator is its deprecated name).",
    );
  }
  if (processor === undefined) {
    c.schema(
      pointer(at, "ItemProcessor"),
      "These fields are required: [ItemProcessor]. Give the Map state an ItemProcessor with StartAt and States to run for each item.",
    );
  } else if (!isObject(processor)) {
    c.schema(
      pointer(at, field),
      `${field} must be an object with StartAt and States; found ${describe(processor)}.`,
    );
  } else {
    const config = processor.ProcessorConfig;
    if (config !== undefined) {
      if (!isObject(config)) {
        c.schema(
          pointer(at, field, "ProcessorConfig"),
          'ProcessorConfig must be an object such as {"Mode": "INLINE"}.',
        );
      } else if (
        config.Mode !== undefined &&
        config.Mode !== "INLINE" &&
        config.Mode !== "DISTRIBUTED"
      ) {
        c.schema(
          pointer(at, field, "ProcessorConfig", "Mode"),
          `Mode must be "INLINE" or "DISTRIBUTED"; found ${describe(config.Mode)}.`,
        );
      }
    }
    result.nested.push({ machine: processor, at: pointer(at, field), language });
  }
  exclusive(s, ["MaxConcurrency", "MaxConcurrencyPath"], false);
  exclusive(s, ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"], false);
  exclusive(s, ["ToleratedFailureCount", "ToleratedFailureCountPath"], false);
  const jsonata = language === "JSONata";
  checkNumberField(
    c,
    pointer(at, "MaxConcurrency"),
    "MaxConcurrency",
    state.MaxConcurrency,
    jsonata,
    { min: 0, integer: true },
  );
  checkNumberField(
    c,
    pointer(at, "ToleratedFailurePercentage"),
    "ToleratedFailurePercentage",
    state.ToleratedFailurePercentage,
    jsonata,
    { min: 0, max: 100 },
  );
  checkNumberField(
    c,
    pointer(at, "ToleratedFailureCount"),
    "ToleratedFailureCount",
    state.ToleratedFailureCount,
    jsonata,
    { min: 0, integer: true },
  );
  for (const f of [
    "ItemsPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
  ]) {
    checkPathField(c, pointer(at, f), f, state[f], f === "ItemsPath" ? "path" : "reference");
  }
  if (language === "JSONPath") {
    if (state.ItemSelector !== undefined)
      checkPayloadTemplate(c, pointer(at, "ItemSelector"), state.ItemSelector);
  } else {
    checkJsonataValue(c, pointer(at, "ItemSelector"), "ItemSelector", state.ItemSelector);
    const items = state.Items;
    if (items !== undefined && !Array.isArray(items) && !isJsonataString(items)) {
      c.schema(
        pointer(at, "Items"),
        `Items must be an array or a {% %} JSONata expression that yields one; found ${describe(items)}.`,
      );
    }
    checkJsonataValue(c, pointer(at, "Items"), "Items", items);
  }
}
