/**
 * The execution graph as SVG: states coloured by status with a text label, groups for Map and
 * Parallel, transitions that happened drawn solid and dark, caught-error paths dashed amber.
 * Catch edges that were not taken are drawn light, and their captions (the caught errors) show
 * only while the edge is hovered or one of its states is selected. Each state is focusable;
 * Enter or a click selects it.
 */
import { edgePathData } from "../graph/edge-path.ts";
import type { GraphLayout, PlacedEdge, PlacedNode } from "../graph/layout.ts";
import {
  type ExecutionPath,
  STATUS_LABEL,
  type StateStatus,
  statusOf,
  wasTaken,
} from "../graph/state-status.ts";
import { STATE_TONE, TONE_SYMBOL } from "./status-badge.tsx";

interface Props {
  layout: GraphLayout;
  path: ExecutionPath;
  selected?: string;
  onSelect: (name: string) => void;
  /** Scale the drawing down to the width available (else 1:1, scrolling). */
  fit?: boolean;
}

const TYPE_CAPTION: Record<string, string> = { Map: "Map", Parallel: "Parallel" };

/** An arrowhead for edge ends; its id is also the class that colours it. */
function ArrowMarker({ id }: { id: "arrow" | "arrow-taken" | "arrow-caught" | "arrow-catch" }) {
  return (
    <marker
      id={id}
      viewBox="0 0 10 10"
      refX="9"
      refY="5"
      markerWidth="7"
      markerHeight="7"
      orient="auto-start-reverse"
    >
      <path d="M0,0 L10,5 L0,10 z" class={id} />
    </marker>
  );
}

export function StateGraph({ layout, path, selected, onSelect, fit = true }: Props) {
  // History transitions name states; the Start and End markers go by their ids.
  const nameOf = new Map(
    layout.nodes.map((n) => [n.id, n.type === "Start" || n.type === "End" ? n.id : n.name]),
  );
  const taken = (edge: PlacedEdge) =>
    wasTaken(path, nameOf.get(edge.from) ?? edge.from, nameOf.get(edge.to) ?? edge.to, edge.kind);
  const statusFor = (node: PlacedNode): StateStatus | "marker" => {
    if (node.type === "Start") return path.transitions.size > 0 ? "succeeded" : "not-reached";
    if (node.type === "End")
      return path.finished === "SUCCEEDED" ? "succeeded" : path.finished ? "failed" : "not-reached";
    return statusOf(path, node.name);
  };
  // Top to bottom, left to right: the reading order is the Tab order, and a group (whose top is
  // above its children's) is still painted before them. Edges come last, over the boxes.
  const boxes = [
    ...layout.nodes.map((node) => ({ y: node.y, x: node.x, node, frame: undefined })),
    ...layout.frames.map((frame) => ({ y: frame.y, x: frame.x, node: undefined, frame })),
  ].sort((a, b) => a.y - b.y || a.x - b.x);
  const edges = [...layout.edges].sort((a, b) => Number(taken(a)) - Number(taken(b)));

  const onKey = (name: string) => (event: KeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect(name);
    }
  };

  const renderNode = (node: PlacedNode) => {
    const status = statusFor(node);
    const marker = node.type === "Start" || node.type === "End";
    const tone = status === "marker" ? "neutral" : STATE_TONE[status];
    const label = status === "marker" ? "" : STATUS_LABEL[status];
    const run = path.states.get(node.name);
    const visits = run && run.visits > 1 ? ` ×${run.visits}` : "";
    const common = {
      class: `node node-${tone}${node.id === selected ? " is-selected" : ""}${marker ? " node-marker" : ""}`,
      "data-state": node.name,
      "data-status": status,
      transform: `translate(${node.x},${node.y})`,
    };
    if (marker) {
      return (
        <g key={node.id} {...common}>
          <rect width={node.width} height={node.height} rx={node.height / 2} class="node-box" />
          <text x={node.width / 2} y={node.height / 2 + 4} text-anchor="middle" class="node-title">
            {node.name}
          </text>
        </g>
      );
    }
    const interactive = {
      // Lowercase: on SVG elements Preact sets attributes verbatim, and only `tabindex` counts.
      tabindex: 0,
      role: "button" as const,
      "aria-pressed": node.id === selected,
      "aria-label": `${node.name}, ${node.type} state: ${label}${visits ? `, ${run?.visits} runs` : ""}`,
      onClick: () => onSelect(node.name),
      onKeyDown: onKey(node.name),
    };
    if (node.group) {
      return (
        <g key={node.id} {...common} {...interactive}>
          <rect width={node.width} height={node.height} rx={10} class="group-box" />
          <rect
            x={-3}
            y={-3}
            width={node.width + 6}
            height={node.height + 6}
            rx={12}
            class="focus-ring"
          />
          <text x={12} y={21} class="group-title">
            <tspan class="group-type">{TYPE_CAPTION[node.type] ?? node.type}</tspan> {node.name}
          </text>
          <text x={node.width - 12} y={21} text-anchor="end" class="group-status">
            {TONE_SYMBOL[tone]} {label}
            {visits}
          </text>
        </g>
      );
    }
    return (
      <g key={node.id} {...common} {...interactive}>
        <rect width={node.width} height={node.height} rx={8} class="node-box" />
        <rect
          x={-3}
          y={-3}
          width={node.width + 6}
          height={node.height + 6}
          rx={10}
          class="focus-ring"
        />
        <text x={node.width / 2} y={20} text-anchor="middle" class="node-title">
          {node.name}
        </text>
        <text x={node.width / 2} y={38} text-anchor="middle" class="node-status">
          {TONE_SYMBOL[tone]} {label}
          {visits}
        </text>
      </g>
    );
  };

  return (
    <svg
      class="graph"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={fit ? undefined : layout.width}
      height={fit ? undefined : layout.height}
      style={
        fit
          ? {
              width: "100%",
              maxWidth: `${layout.width}px`,
              minWidth: `${Math.min(layout.width, 560)}px`,
              height: "auto",
            }
          : undefined
      }
      aria-label="State machine graph"
    >
      <defs>
        <ArrowMarker id="arrow" />
        <ArrowMarker id="arrow-taken" />
        <ArrowMarker id="arrow-caught" />
        <ArrowMarker id="arrow-catch" />
      </defs>
      {boxes.map((box) =>
        box.node ? (
          renderNode(box.node)
        ) : (
          <g
            key={box.frame.id}
            class="frame"
            transform={`translate(${box.frame.x},${box.frame.y})`}
          >
            <rect width={box.frame.width} height={box.frame.height} rx={8} />
            <text x={10} y={16}>
              {box.frame.label}
            </text>
          </g>
        ),
      )}
      {edges.map((edge) => {
        const on = taken(edge);
        const touched = selected !== undefined && (edge.from === selected || edge.to === selected);
        const cls = `edge edge-${edge.kind}${on ? (edge.kind === "catch" ? " is-caught" : " is-taken") : ""}${touched ? " is-selected" : ""}`;
        const marker = on
          ? edge.kind === "catch"
            ? "url(#arrow-caught)"
            : "url(#arrow-taken)"
          : edge.kind === "catch"
            ? "url(#arrow-catch)"
            : "url(#arrow)";
        const d = edgePathData(edge.points);
        const box = edge.label ? edge.labelBox : undefined;
        return (
          <g
            key={edge.id}
            class={cls}
            data-edge={`${nameOf.get(edge.from)}->${nameOf.get(edge.to)}`}
            data-edge-id={edge.id}
            data-taken={on}
          >
            {edge.kind === "catch" && <path d={d} class="edge-hit" />}
            <path d={d} class="edge-line" marker-end={marker} />
            {box && (
              <g class="edge-label">
                <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={4} />
                <text
                  x={box.x + box.width / 2}
                  y={box.y + box.height / 2 + 3.5}
                  text-anchor="middle"
                >
                  {edge.label}
                </text>
              </g>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** The colour key under the graph. */
export function GraphLegend() {
  const order: StateStatus[] = [
    "succeeded",
    "failed",
    "caught",
    "running",
    "waiting",
    "not-reached",
  ];
  return (
    <ul class="legend" aria-label="Legend">
      {order.map((status) => (
        <li key={status} class={`legend-item node-${STATE_TONE[status]}`}>
          <span class="legend-swatch" aria-hidden="true">
            {TONE_SYMBOL[STATE_TONE[status]]}
          </span>
          {STATUS_LABEL[status]}
        </li>
      ))}
    </ul>
  );
}
