/**
 * Lays out a state-machine graph with dagre, bottom-up: every Map / Parallel is first laid out on
 * its own (its blocks side by side, each framed), then placed as one big node in its parent's
 * layout. That keeps groups as real compound boxes without relying on dagre's cluster mode.
 * Deterministic: the same graph always gets the same coordinates.
 */
import { layout as dagreLayout, Graph } from "@dagrejs/dagre";
import type { EdgeKind, GraphBlock, GraphNode } from "./asl-graph.ts";

export interface Point {
  x: number;
  y: number;
}

/** A node with its top-left corner and size, in the coordinates of the whole drawing. */
export interface PlacedNode {
  id: string;
  name: string;
  type: string;
  resource?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Map and Parallel states draw as a box around their blocks. */
  group: boolean;
  depth: number;
}

/** The dashed frame of one block inside a group (a Parallel branch, a Map's item processor). */
export interface PlacedFrame {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
  points: Point[];
  labelAt?: Point;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  frames: PlacedFrame[];
  edges: PlacedEdge[];
}

/** Sizes used by the layout and the renderer, in SVG user units (px at scale 1). */
export const METRICS = {
  charWidth: 7.4,
  nodeHeight: 50,
  markerWidth: 76,
  markerHeight: 30,
  groupHeader: 34,
  frameHeader: 24,
  pad: 14,
  frameGap: 16,
  labelCharWidth: 6.4,
  labelHeight: 18,
} as const;

const M = METRICS;

/** Lays out a graph built by `buildGraph`; nested blocks come out already positioned. */
export function layoutGraph(root: GraphBlock): GraphLayout {
  const result = layoutBlock(root, 0);
  // dagre may route edges (and we put labels) outside its own bounds: measure everything drawn,
  // then move it all so the drawing starts at the margin.
  const margin = 8;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const box of [...result.nodes, ...result.frames]) {
    xs.push(box.x, box.x + box.width);
    ys.push(box.y, box.y + box.height);
  }
  for (const edge of result.edges) {
    for (const p of edge.points) {
      xs.push(p.x);
      ys.push(p.y);
    }
    if (edge.labelAt && edge.label) {
      const half = (edge.label.length * M.labelCharWidth) / 2 + 6;
      xs.push(edge.labelAt.x - half, edge.labelAt.x + half);
      ys.push(edge.labelAt.y - M.labelHeight / 2, edge.labelAt.y + M.labelHeight / 2);
    }
  }
  const dx = margin - Math.min(...xs);
  const dy = margin - Math.min(...ys);
  const move = (p: Point): Point => ({ x: p.x + dx, y: p.y + dy });
  return {
    width: Math.ceil(Math.max(...xs) - Math.min(...xs) + 2 * margin),
    height: Math.ceil(Math.max(...ys) - Math.min(...ys) + 2 * margin),
    nodes: result.nodes.map((n) => ({ ...n, ...move(n) })),
    frames: result.frames.map((f) => ({ ...f, ...move(f) })),
    edges: result.edges.map((e) => ({
      ...e,
      points: e.points.map(move),
      ...(e.labelAt ? { labelAt: move(e.labelAt) } : {}),
    })),
  };
}

/** The point at `fraction` of a polyline's length. */
export function pointAlong(points: Point[], fraction: number): Point {
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i]!.x, p.y - points[i]!.y));
  let remaining = lengths.reduce((a, b) => a + b, 0) * fraction;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i]!;
    if (remaining <= length && length > 0) {
      const a = points[i]!;
      const b = points[i + 1]!;
      const t = remaining / length;
      return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
    }
    remaining -= length;
  }
  return points.at(-1)!;
}

function leafSize(node: GraphNode): { width: number; height: number } {
  if (node.type === "Start" || node.type === "End")
    return { width: M.markerWidth, height: M.markerHeight };
  const longest = Math.max(node.name.length, Math.min(node.resource?.length ?? 0, 30) * 0.85, 16);
  return { width: Math.round(longest * M.charWidth + 36), height: M.nodeHeight };
}

interface BlockLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  frames: PlacedFrame[];
  edges: PlacedEdge[];
}

function layoutBlock(block: GraphBlock, depth: number): BlockLayout {
  // 1. Lay out the inside of each group first, to know how big the group is.
  const inner = new Map<
    string,
    { width: number; height: number; parts: Array<{ block: GraphBlock; layout: BlockLayout }> }
  >();
  for (const node of block.nodes) {
    if (!node.blocks?.length) continue;
    const parts = node.blocks.map((b) => ({ block: b, layout: layoutBlock(b, depth + 1) }));
    const width =
      parts.reduce((sum, p) => sum + p.layout.width + 2 * M.pad, 0) +
      M.frameGap * (parts.length - 1) +
      2 * M.pad;
    const tallest = Math.max(...parts.map((p) => p.layout.height));
    const height = M.groupHeader + M.frameHeader + tallest + 2 * M.pad + M.pad;
    // Room for the header: "Parallel Fulfil" on the left, the status ("✓ Waiting for callback ×3") on the right.
    const header = (node.type.length + node.name.length + 1) * M.charWidth + 190;
    inner.set(node.id, { width: Math.max(width, header), height, parts });
  }

  // 2. Lay out this block, with groups as single nodes of that size.
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 42, edgesep: 14, marginx: 6, marginy: 6 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of block.nodes) {
    const size = inner.get(node.id) ?? leafSize(node);
    g.setNode(node.id, { width: size.width, height: size.height });
  }
  for (const edge of block.edges) {
    // Labels get no space in the ranking (that doubles the ranks); they sit on the edge instead.
    g.setEdge(edge.from, edge.to, { weight: edge.kind === "catch" ? 1 : 3 }, edge.id);
  }
  dagreLayout(g);
  const graphLabel = g.graph() as { width?: number; height?: number };

  // 3. Emit this block's nodes and edges, then the groups' insides moved into place.
  const nodes: PlacedNode[] = [];
  const frames: PlacedFrame[] = [];
  const edges: PlacedEdge[] = [];
  for (const node of block.nodes) {
    const placed = g.node(node.id) as { x: number; y: number; width: number; height: number };
    const x = placed.x - placed.width / 2;
    const y = placed.y - placed.height / 2;
    nodes.push({
      id: node.id,
      name: node.name,
      type: node.type,
      ...(node.resource ? { resource: node.resource } : {}),
      x,
      y,
      width: placed.width,
      height: placed.height,
      group: inner.has(node.id),
      depth,
    });
    const group = inner.get(node.id);
    if (!group) continue;
    // Centre the frames when the header made the group wider than its content.
    const framesWidth =
      group.parts.reduce((sum, p) => sum + p.layout.width + 2 * M.pad, 0) +
      M.frameGap * (group.parts.length - 1);
    let frameX = x + (placed.width - framesWidth) / 2;
    const frameY = y + M.groupHeader;
    const frameHeight = placed.height - M.groupHeader - M.pad;
    for (const part of group.parts) {
      const frameWidth = part.layout.width + 2 * M.pad;
      frames.push({
        id: part.block.id,
        label: part.block.label ?? "",
        x: frameX,
        y: frameY,
        width: frameWidth,
        height: frameHeight,
      });
      const dx = frameX + M.pad + 0;
      const dy =
        frameY + M.frameHeader + (frameHeight - M.frameHeader - M.pad - part.layout.height) / 2;
      nodes.push(...part.layout.nodes.map((n) => ({ ...n, x: n.x + dx, y: n.y + dy })));
      frames.push(...part.layout.frames.map((f) => ({ ...f, x: f.x + dx, y: f.y + dy })));
      edges.push(
        ...part.layout.edges.map((e) => ({
          ...e,
          points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })),
          ...(e.labelAt ? { labelAt: { x: e.labelAt.x + dx, y: e.labelAt.y + dy } } : {}),
        })),
      );
      frameX += frameWidth + M.frameGap;
    }
  }
  for (const edge of block.edges) {
    const placed = g.edge({ v: edge.from, w: edge.to, name: edge.id }) as
      | { points?: Point[] }
      | undefined;
    const points = placed?.points?.map((p) => ({ x: p.x, y: p.y })) ?? [];
    const labelAt =
      edge.label && points.length > 1
        ? pointAlong(points, edge.kind === "catch" ? 0.5 : 0.4)
        : undefined;
    edges.push({ ...edge, points, ...(labelAt ? { labelAt } : {}) });
  }
  return { width: graphLabel.width ?? 0, height: graphLabel.height ?? 0, nodes, frames, edges };
}
