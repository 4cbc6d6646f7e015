/**
 * Checks of what a page looks like, read from the laid-out page itself (not from our layout code):
 * horizontal overflow, and whether any edge label of the execution graph overlaps a state, a
 * caption, a group's border, another edge or another label. Measured in screen pixels with
 * `getBoundingClientRect` and, for edges, points sampled along each drawn path.
 */
import type { Locator, Page } from "playwright-core";
import {
  type Box,
  boxesOverlap,
  contains,
  inflate,
  type Point,
  polylineHitsBox,
} from "../../web/src/graph/geometry.ts";

/** How far the page scrolls sideways beyond `width` (0 when it fits). */
export async function horizontalOverflow(page: Page, width: number): Promise<number> {
  const scrollWidth = await page.evaluate(() =>
    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  );
  return Math.max(0, scrollWidth - width);
}

interface MeasuredLabel {
  /** Index of its edge in `edges`. */
  index: number;
  edge: string;
  kind: string;
  box: Box;
  text: Box;
  visible: boolean;
}

/** Everything drawn in the graph, in screen pixels. */
export interface GraphDrawing {
  labels: MeasuredLabel[];
  /** State boxes (not groups). */
  states: Array<{ name: string; box: Box }>;
  /** Map / Parallel boxes and their branch frames: a label is wholly inside or wholly outside. */
  containers: Array<{ name: string; box: Box }>;
  /** Every caption drawn in a state, a group or a frame. */
  captions: Array<{ text: string; box: Box }>;
  edges: Array<{ edge: string; points: Point[] }>;
}

/** Reads the graph on the page (the first `svg.graph`). */
export function measureGraph(page: Page): Promise<GraphDrawing> {
  return page.locator("svg.graph").evaluate((svg: SVGSVGElement) => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const edges = [...svg.querySelectorAll<SVGGElement>("g.edge")];
    const labels = edges.flatMap((g, index) => {
      const label = g.querySelector(".edge-label");
      if (!label) return [];
      const rect = label.querySelector("rect")!;
      return [
        {
          index,
          edge: g.dataset.edge ?? "",
          kind: [...g.classList].find((c) => c.startsWith("edge-"))?.slice(5) ?? "",
          box: box(rect),
          text: box(label.querySelector("text")!),
          visible: getComputedStyle(label).visibility !== "hidden",
        },
      ];
    });
    const states = [...svg.querySelectorAll("g.node .node-box")].map((rect) => ({
      name: rect.closest("g.node")?.getAttribute("data-state") ?? "",
      box: box(rect),
    }));
    const containers = [...svg.querySelectorAll("g.node .group-box, g.frame rect")].map((rect) => ({
      name:
        rect.closest("g.node")?.getAttribute("data-state") ??
        rect.closest("g.frame")?.textContent ??
        "",
      box: box(rect),
    }));
    const captions = [...svg.querySelectorAll("g.node text, g.frame text")].map((text) => ({
      text: text.textContent ?? "",
      box: box(text),
    }));
    const lines = edges.map((g) => {
      const path = (g.querySelector<SVGPathElement>("path.edge-line") ??
        g.querySelector<SVGPathElement>("path"))!;
      const matrix = path.getScreenCTM()!;
      const length = path.getTotalLength();
      const points = [];
      for (let at = 0; at <= length; at += 1.5) {
        const p = path.getPointAtLength(Math.min(at, length));
        points.push({
          x: matrix.a * p.x + matrix.c * p.y + matrix.e,
          y: matrix.b * p.x + matrix.d * p.y + matrix.f,
        });
      }
      return { edge: g.dataset.edge ?? "", points };
    });
    return { labels, states, containers, captions, edges: lines };
  });
}

/** Every overlap of an edge label with anything else drawn, in words; empty when there is none. */
export function labelOverlaps(drawing: GraphDrawing): string[] {
  const problems: string[] = [];
  const union = (a: Box, b: Box): Box => {
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    return {
      x,
      y,
      width: Math.max(a.x + a.width, b.x + b.width) - x,
      height: Math.max(a.y + a.height, b.y + b.height) - y,
    };
  };
  // Sub-pixel rounding of the browser's boxes is not an overlap.
  const solid = (b: Box) => inflate(b, -0.5);
  drawing.labels.forEach((label, i) => {
    const name = `label "${label.edge}"`;
    const area = union(label.box, label.text);
    if (!contains(inflate(label.box, 1), label.text)) problems.push(`${name}: text spills out`);
    for (const state of drawing.states) {
      if (boxesOverlap(solid(area), state.box)) problems.push(`${name} overlaps ${state.name}`);
    }
    for (const caption of drawing.captions) {
      if (boxesOverlap(solid(area), caption.box))
        problems.push(`${name} overlaps the caption "${caption.text}"`);
    }
    for (const container of drawing.containers) {
      if (!contains(container.box, area) && boxesOverlap(solid(area), container.box))
        problems.push(`${name} straddles the border of ${container.name}`);
    }
    for (const [index, edge] of drawing.edges.entries()) {
      if (index === label.index) continue;
      if (polylineHitsBox(edge.points, solid(area)))
        problems.push(`${name} lies on the edge ${edge.edge}`);
    }
    for (const other of drawing.labels.slice(i + 1)) {
      if (boxesOverlap(solid(area), union(other.box, other.text)))
        problems.push(`${name} overlaps label "${other.edge}"`);
    }
  });
  return problems;
}

/** A point in the viewport where the pointer is over this edge's line (`g.edge`) and nothing else. */
export async function pointOnEdge(edge: Locator): Promise<Point> {
  const point = await edge.evaluate((g: SVGGElement) => {
    const path = g.querySelector<SVGPathElement>("path.edge-hit") ?? g.querySelector("path")!;
    const matrix = path.getScreenCTM()!;
    const length = path.getTotalLength();
    for (const fraction of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
      const p = path.getPointAtLength(length * fraction);
      const x = matrix.a * p.x + matrix.c * p.y + matrix.e;
      const y = matrix.b * p.x + matrix.d * p.y + matrix.f;
      if (document.elementFromPoint(x, y)?.closest("g.edge") === g) return { x, y };
    }
    return undefined;
  });
  if (!point) throw new Error("No point of this edge is free of other elements");
  return point;
}
