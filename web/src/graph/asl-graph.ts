/**
 * Turns an Amazon States Language definition into a nested graph model for the execution view:
 * one block per scope (the machine, each Map's item processor, each Parallel branch), with the
 * transitions of that scope as edges. Pure data in, pure data out; layout happens elsewhere.
 * Transitions follow https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */

/** The node id of the synthetic start and end markers of the top-level block. */
export const START_ID = "__start__";
export const END_ID = "__end__";

export type EdgeKind = "start" | "next" | "choice" | "default" | "catch" | "end";

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  /** A short caption: the choice rule, "Default", or the caught error names. */
  label?: string;
}

export interface GraphNode {
  /** Unique in the graph; equals the state name unless a name repeats across scopes. */
  id: string;
  /** The state name, which history events refer to. */
  name: string;
  /** ASL state type, or "Start" / "End" for the markers. */
  type: string;
  /** A short description of what a Task calls (function name or service action). */
  resource?: string;
  /** Map: one block (the item processor); Parallel: one block per branch. */
  blocks?: GraphBlock[];
}

export interface GraphBlock {
  id: string;
  /** "Branch 1", "Iteration" ... shown above nested blocks. */
  label?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Why a definition cannot be drawn; names the offending field. */
export class DefinitionShapeError extends Error {
  override name = "DefinitionShapeError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Builds the graph of a state machine definition. The top-level block gets Start and End markers;
 * nested blocks do not (as in the Step Functions console).
 */
export function buildGraph(definition: unknown): GraphBlock {
  const seen = new Set<string>();
  return buildBlock(definition, "root", undefined, true, seen, "definition");
}

function buildBlock(
  scope: unknown,
  id: string,
  label: string | undefined,
  topLevel: boolean,
  seen: Set<string>,
  where: string,
): GraphBlock {
  if (!isObj(scope) || !isObj(scope.States) || typeof scope.StartAt !== "string") {
    throw new DefinitionShapeError(
      `${where} needs "StartAt" (a state name) and "States" (an object of states)`,
    );
  }
  const states = scope.States;
  const idOf = new Map<string, string>();
  for (const name of Object.keys(states)) {
    // State names are unique per machine on AWS; tolerate repeats by qualifying the id.
    const nodeId = seen.has(name) ? `${id}/${name}` : name;
    seen.add(nodeId);
    idOf.set(name, nodeId);
  }
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const addEdge = (from: string, targetName: unknown, kind: EdgeKind, edgeLabel?: string) => {
    if (typeof targetName !== "string") return;
    const to = idOf.get(targetName);
    if (to === undefined) return; // a dangling transition; validation reports it, we skip it
    const existing = edges.find((e) => e.from === from && e.to === to && e.kind === kind);
    if (existing) {
      if (edgeLabel && existing.label !== edgeLabel) {
        existing.label = existing.label ? `${existing.label}; ${edgeLabel}` : edgeLabel;
      }
      return;
    }
    edges.push({
      id: `${from}->${to}:${kind}`,
      from,
      to,
      kind,
      ...(edgeLabel ? { label: edgeLabel } : {}),
    });
  };

  if (topLevel) {
    nodes.push({ id: START_ID, name: "Start", type: "Start" });
    const first = idOf.get(scope.StartAt);
    if (first)
      edges.push({ id: `${START_ID}->${first}:start`, from: START_ID, to: first, kind: "start" });
  }

  for (const [name, raw] of Object.entries(states)) {
    const nodeId = idOf.get(name)!;
    if (!isObj(raw) || typeof raw.Type !== "string") {
      throw new DefinitionShapeError(`States.${name} needs a "Type"`);
    }
    const node: GraphNode = { id: nodeId, name, type: raw.Type };
    if (raw.Type === "Task") node.resource = describeResource(raw);
    if (raw.Type === "Map") {
      const processor = raw.ItemProcessor ?? raw.Iterator;
      node.blocks = [
        buildBlock(
          processor,
          `${nodeId}#items`,
          "Each item",
          false,
          seen,
          `States.${name}.ItemProcessor`,
        ),
      ];
    }
    if (raw.Type === "Parallel") {
      const branches = Array.isArray(raw.Branches) ? raw.Branches : [];
      node.blocks = branches.map((branch, i) =>
        buildBlock(
          branch,
          `${nodeId}#${i + 1}`,
          `Branch ${i + 1}`,
          false,
          seen,
          `States.${name}.Branches[${i}]`,
        ),
      );
    }
    nodes.push(node);

    addEdge(nodeId, raw.Next, "next");
    if (raw.Type === "Choice" && Array.isArray(raw.Choices)) {
      for (const rule of raw.Choices) {
        if (isObj(rule)) addEdge(nodeId, rule.Next, "choice", describeRule(rule));
      }
      addEdge(nodeId, raw.Default, "default", "Default");
    }
    if (Array.isArray(raw.Catch)) {
      for (const catcher of raw.Catch) {
        if (!isObj(catcher)) continue;
        const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(", ") : "";
        addEdge(nodeId, catcher.Next, "catch", errors || "Catch");
      }
    }
    const terminal = raw.End === true || raw.Type === "Succeed" || raw.Type === "Fail";
    if (topLevel && terminal) {
      edges.push({ id: `${nodeId}->${END_ID}:end`, from: nodeId, to: END_ID, kind: "end" });
    }
  }
  if (topLevel) nodes.push({ id: END_ID, name: "End", type: "End" });
  return { id, ...(label ? { label } : {}), nodes, edges };
}

/** "ChargePayment" for a Lambda ARN (plain or via lambda:invoke), else the service action. */
export function describeResource(state: Obj): string | undefined {
  const resource = typeof state.Resource === "string" ? state.Resource : undefined;
  if (!resource) return undefined;
  const args = isObj(state.Parameters)
    ? state.Parameters
    : isObj(state.Arguments)
      ? state.Arguments
      : {};
  const fn = args.FunctionName ?? args["FunctionName.$"];
  const fromArn = (arn: string) => {
    const match = /:function:([^:}]+)/.exec(arn) ?? /\$\{(\w+?)(?:FunctionArn)?\}/.exec(arn);
    return match?.[1];
  };
  if (resource.startsWith("arn:aws:states:::lambda:invoke")) {
    const name = typeof fn === "string" ? (fromArn(fn) ?? fn) : undefined;
    const suffix = resource.endsWith(".waitForTaskToken") ? " (wait for callback)" : "";
    return `Lambda ${name ?? "invoke"}${suffix}`;
  }
  if (resource.includes(":function:") || resource.startsWith("${"))
    return `Lambda ${fromArn(resource) ?? resource}`;
  const service = /^arn:aws:states:::([^:]+):?(.*)$/.exec(resource);
  if (service) return `${service[1]}${service[2] ? ` ${service[2]}` : ""}`;
  return resource;
}

const OPS: Record<string, string> = {
  StringEquals: "==",
  NumericEquals: "==",
  BooleanEquals: "==",
  TimestampEquals: "==",
  NumericGreaterThan: ">",
  NumericGreaterThanEquals: ">=",
  NumericLessThan: "<",
  NumericLessThanEquals: "<=",
  StringGreaterThan: ">",
  StringLessThan: "<",
  TimestampGreaterThan: ">",
  TimestampLessThan: "<",
  IsPresent: "present",
  IsNull: "null",
  StringMatches: "matches",
};

/** A one-line caption for a Choice rule, e.g. `$.total > 1000` or a JSONata condition. */
export function describeRule(rule: Obj, max = 32): string {
  const text = ruleText(rule);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function ruleText(rule: Obj): string {
  if (typeof rule.Condition === "string") return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, "");
  if (Array.isArray(rule.And))
    return rule.And.map((r) => (isObj(r) ? ruleText(r) : "?")).join(" and ");
  if (Array.isArray(rule.Or))
    return rule.Or.map((r) => (isObj(r) ? ruleText(r) : "?")).join(" or ");
  if (isObj(rule.Not)) return `not (${ruleText(rule.Not)})`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "";
  for (const [key, value] of Object.entries(rule)) {
    const op = key.replace(/Path$/, "");
    if (OPS[op] === undefined) continue;
    if (op === "IsPresent" || op === "IsNull")
      return `${variable} ${value ? "" : "not "}${OPS[op]}`;
    return `${variable} ${OPS[op]} ${JSON.stringify(value)}`;
  }
  return variable || "rule";
}

/** Every node of a block, depth first, nested blocks included. */
export function allNodes(block: GraphBlock): GraphNode[] {
  return block.nodes.flatMap((node) => [node, ...(node.blocks ?? []).flatMap(allNodes)]);
}
