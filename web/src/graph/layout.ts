/**
 * Lays out a state-machine graph with dagre, bottom-up: every Map / Parallel is first laid out on
 * its own (its blocks side by side, each framed), then placed as one big node in its parent's
 * layout. That keeps groups as real compound boxes without relying on dagre's cluster mode.
 * Edge captions are placed last, on the whole drawing, where they cover nothing
 * (label-placement.ts); when one finds no room, the graph is laid out again with more space.
 * Deterministic: the same graph always gets the same coordinates.
 */
import { layout as dagreLayout, Graph } from "@dagrejs/dagre";
import type { EdgeKind, GraphBlock, GraphNode } from "./asl-graph.ts";
import type { Box, Point } from "./geometry.ts";
import { type LabelScene, placeLabels } from "./label-placement.ts";

export type { Box, Point } from "./geometry.ts";

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
  /** Where the caption is drawn (every labelled edge has one). */
  labelBox?: Box;
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
} as const;

/** Spacing factors tried in turn until every caption finds room. */
const SPACINGS = [1, 1.4, 1.8, 2.4];

const M = METRICS;

/** Lays out a graph built by `buildGraph`; nested blocks come out already positioned. */
export function layoutGraph(root: GraphBlock): GraphLayout {
  let result = layoutBlock(root, 0, SPACINGS[0]!);
  let labels = placeLabels(sceneOf(result));
  for (const spacing of SPACINGS.slice(1)) {
    if (labels.unplaced.length === 0) break;
    result = layoutBlock(root, 0, spacing);
    labels = placeLabels(sceneOf(result));
  }
  const edges = result.edges.map((e) => {
    const labelBox = labels.boxes.get(e.id);
    return labelBox ? { ...e, labelBox } : e;
  });
  // dagre may route edges (and we put captions) outside its own bounds: measure everything
  // drawn, then move it all so the drawing starts at the margin.
  const margin = 8;
  const xs: number[] = [];
  const ys: number[] = [];
  const boxes = [...result.nodes, ...result.frames, ...edges.flatMap((e) => e.labelBox ?? [])];
  for (const box of boxes) {
    xs.push(box.x, box.x + box.width);
    ys.push(box.y, box.y + box.height);
  }
  for (const edge of edges) {
    for (const p of edge.points) {
      xs.push(p.x);
      ys.push(p.y);
    }
  }
  const dx = margin - Math.min(...xs);
  const dy = margin - Math.min(...ys);
  const move = <T extends Point>(p: T): T => ({ ...p, x: p.x + dx, y: p.y + dy });
  return {
    width: Math.ceil(Math.max(...xs) - Math.min(...xs) + 2 * margin),
    height: Math.ceil(Math.max(...ys) - Math.min(...ys) + 2 * margin),
    nodes: result.nodes.map(move),
    frames: result.frames.map(move),
    edges: edges.map((e) => ({
      ...e,
      points: e.points.map(move),
      ...(e.labelBox ? { labelBox: move(e.labelBox) } : {}),
    })),
  };
}

/** What captions must keep clear of, in a laid-out block. */
function sceneOf(layout: BlockLayout): LabelScene {
  const groups = layout.nodes.filter((n) => n.group);
  return {
    states: layout.nodes.filter((n) => !n.group),
    containers: [...groups, ...layout.frames],
    headers: [
      ...groups.map((g) => ({ x: g.x, y: g.y, width: g.width, height: M.groupHeader })),
      ...layout.frames.map((f) => ({ x: f.x, y: f.y, width: f.width, height: M.frameHeader })),
    ],
    edges: layout.edges,
  };
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

function layoutBlock(block: GraphBlock, depth: number, spacing: number): BlockLayout {
  // 1. Lay out the inside of each group first, to know how big the group is.
  const inner = new Map<
    string,
    { width: number; height: number; parts: Array<{ block: GraphBlock; layout: BlockLayout }> }
  >();
  for (const node of block.nodes) {
    if (!node.blocks?.length) continue;
    const parts = node.blocks.map((b) => ({
      block: b,
      layout: layoutBlock(b, depth + 1, spacing),
    }));
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
  g.setGraph({
    rankdir: "TB",
    nodesep: 28 * spacing,
    ranksep: 42 * spacing,
    edgesep: 14 * spacing,
    marginx: 6,
    marginy: 6,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of block.nodes) {
    const size = inner.get(node.id) ?? leafSize(node);
    g.setNode(node.id, { width: size.width, height: size.height });
  }
  for (const edge of block.edges) {
    // Captions get no space in the ranking (that doubles the ranks); they are placed afterwards.
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
    edges.push({ ...edge, points });
  }
  return { width: graphLabel.width ?? 0, height: graphLabel.height ?? 0, nodes, frames, edges };
}
