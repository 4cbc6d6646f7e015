/**
 * Places edge captions where they cover nothing: no state, no caption of a group or branch, no
 * group or branch border (a caption is wholly inside or wholly outside each), no other edge's
 * drawn line and no other caption. A caption may sit on its own edge (it has a white background,
 * like the Step Functions console's), or beside it. Candidates are tried on the line, from the
 * edge's middle outwards, then beside it; the first that fits wins, so the result
 * is deterministic. Always-visible captions (choice rules, Default) are placed before catch
 * captions, which are shown only on demand.
 */
import { edgeCurve } from "./edge-path.ts";
import {
  type Box,
  boxesOverlap,
  contains,
  inflate,
  type Point,
  pointAlong,
  polylineHitsBox,
} from "./geometry.ts";

/** Caption metrics, in SVG user units (the renderer draws the box this module returns). */
export const LABEL = {
  charWidth: 6.4,
  padding: 5,
  height: 18,
  /** Clear space between a caption and a box. */
  gap: 3,
  /** Clear space between a caption and another edge's line (arrowheads are ~5 wide). */
  lineGap: 4,
} as const;

export interface LabelScene {
  /** States: solid boxes. */
  states: Box[];
  /** Groups and branch frames: borders not to straddle. */
  containers: Box[];
  /** Header strips of groups and frames (their captions): solid boxes. */
  headers: Box[];
  edges: Array<{ id: string; kind: string; label?: string; points: Point[] }>;
}

/** The size of a caption's box. */
export function labelSize(text: string): { width: number; height: number } {
  return {
    width: Math.ceil(text.length * LABEL.charWidth + 2 * LABEL.padding),
    height: LABEL.height,
  };
}

const FRACTIONS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65, 0.25, 0.75, 0.2, 0.8, 0.15];

/**
 * Boxes for every labelled edge of the scene, by edge id. `unplaced` lists the edges whose caption
 * found no free spot (the caller lays the graph out again with more room).
 */
export function placeLabels(scene: LabelScene): { boxes: Map<string, Box>; unplaced: string[] } {
  const curves = scene.edges.map((e) => ({ id: e.id, curve: edgeCurve(e.points) }));
  const boxes = new Map<string, Box>();
  const unplaced: string[] = [];
  const labelled = scene.edges
    .filter((e) => e.label && e.points.length > 1)
    .sort((a, b) => Number(a.kind === "catch") - Number(b.kind === "catch"));

  const free = (box: Box, edgeId: string): boolean => {
    const padded = inflate(box, LABEL.gap);
    if (scene.states.some((s) => boxesOverlap(padded, s))) return false;
    if (scene.headers.some((h) => boxesOverlap(padded, h))) return false;
    for (const c of scene.containers) {
      if (!contains(inflate(c, -LABEL.gap), box) && boxesOverlap(padded, c)) return false;
    }
    for (const placed of boxes.values()) if (boxesOverlap(padded, placed)) return false;
    const lined = inflate(box, LABEL.lineGap);
    return !curves.some((c) => c.id !== edgeId && polylineHitsBox(c.curve, lined));
  };

  for (const edge of labelled) {
    const { width, height } = labelSize(edge.label!);
    const curve = curves.find((c) => c.id === edge.id)!.curve;
    const box = candidates(curve, width, height).find((b) => free(b, edge.id));
    if (box) boxes.set(edge.id, box);
    else unplaced.push(edge.id);
  }
  return { boxes, unplaced };
}

/** Caption boxes along a curve: centred on it, then beside it (left, right, above, below). */
function candidates(curve: Point[], width: number, height: number): Box[] {
  const side = 6;
  const offsets: Point[] = [
    { x: 0, y: 0 },
    { x: -(width / 2 + side), y: 0 },
    { x: width / 2 + side, y: 0 },
    { x: 0, y: -(height / 2 + side) },
    { x: 0, y: height / 2 + side },
  ];
  const along = FRACTIONS.map((fraction) => pointAlong(curve, fraction));
  return offsets.flatMap((o) =>
    along.map((at) => ({ x: at.x + o.x - width / 2, y: at.y + o.y - height / 2, width, height })),
  );
}
