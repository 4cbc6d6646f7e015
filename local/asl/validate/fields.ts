/**
 * Which fields each state type accepts, and which belong to one query language only, per AWS's
 * state reference pages ("Pass workflow state", "Task workflow state", ... and "Transforming data
 * with JSONata": JSONata states replace InputPath/Parameters/ResultSelector/ResultPath/OutputPath
 * with Arguments and Output).
 */

export const STATE_TYPES = [
  "Pass",
  "Task",
  "Choice",
  "Wait",
  "Succeed",
  "Fail",
  "Parallel",
  "Map",
] as const;
export type StateType = (typeof STATE_TYPES)[number];

const COMMON = ["Type", "Comment", "QueryLanguage"];
const FLOW = ["Next", "End"];
const IO = ["InputPath", "OutputPath", "Output"];
const RESULT = ["ResultPath", "Parameters", "ResultSelector", "Arguments"];
const ERRORS = ["Retry", "Catch"];

export const ALLOWED_FIELDS: Record<StateType, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...FLOW, ...IO, "ResultPath", "Parameters", "Result", "Assign"]),
  Task: new Set([
    ...COMMON,
    ...FLOW,
    ...IO,
    ...RESULT,
    ...ERRORS,
    "Resource",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
    "Assign",
  ]),
  Choice: new Set([...COMMON, ...IO, "Choices", "Default", "Assign"]),
  Wait: new Set([
    ...COMMON,
    ...FLOW,
    ...IO,
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Assign",
  ]),
  Succeed: new Set([...COMMON, ...IO]),
  Fail: new Set([...COMMON, "Error", "ErrorPath", "Cause", "CausePath"]),
  Parallel: new Set([...COMMON, ...FLOW, ...IO, ...RESULT, ...ERRORS, "Branches", "Assign"]),
  Map: new Set([
    ...COMMON,
    ...FLOW,
    ...IO,
    ...ERRORS,
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Iterator",
    "ItemProcessor",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
    "Assign",
  ]),
};

/** Fields only JSONPath states may use, with the JSONata way to say the same thing. */
export const JSONPATH_ONLY: Record<string, string> = {
  InputPath: "read $states.input inside Arguments or Output",
  OutputPath: "use Output",
  Parameters: "use Arguments",
  ResultSelector: "use Output with $states.result",
  ResultPath: "use Output or Assign with $states.result",
  Result: "use Output",
  ItemsPath: "use Items",
  SecondsPath: "use Seconds with a {% %} expression",
  TimestampPath: "use Timestamp with a {% %} expression",
  TimeoutSecondsPath: "use TimeoutSeconds with a {% %} expression",
  HeartbeatSecondsPath: "use HeartbeatSeconds with a {% %} expression",
  ErrorPath: "use Error with a {% %} expression",
  CausePath: "use Cause with a {% %} expression",
  MaxConcurrencyPath: "use MaxConcurrency with a {% %} expression",
  ToleratedFailurePercentagePath: "use ToleratedFailurePercentage with a {% %} expression",
  ToleratedFailureCountPath: "use ToleratedFailureCount with a {% %} expression",
};

/** Fields only JSONata states may use, with the JSONPath equivalent. */
export const JSONATA_ONLY: Record<string, string> = {
  Arguments: "use Parameters",
  Output: "use OutputPath, ResultSelector or ResultPath",
  Items: "use ItemsPath",
};

export const TOP_LEVEL_FIELDS = new Set([
  "StartAt",
  "States",
  "Comment",
  "Version",
  "TimeoutSeconds",
  "QueryLanguage",
]);

export const NESTED_MACHINE_FIELDS = new Set([
  "StartAt",
  "States",
  "Comment",
  "ProcessorConfig",
  "QueryLanguage",
]);

/** States that need exactly one of Next or End. */
export const NEEDS_TRANSITION = new Set<string>(["Pass", "Task", "Wait", "Parallel", "Map"]);
