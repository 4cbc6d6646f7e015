/**
 * How an edge is drawn: a polyline from dagre with rounded bends — straight to each bend's
 * midpoints, a quadratic curve through the bend. `edgePathData` is the SVG path; `edgeCurve` is
 * the same curve as points, so that label placement and tests see the line that is drawn, not the
 * polyline dagre returned.
 */
import type { Point } from "./geometry.ts";

/** The SVG `d` attribute of an edge through `points`. */
export function edgePathData(points: Point[]): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  if (rest.length < 2)
    return `M${first!.x},${first!.y}${rest.map((p) => ` L${p.x},${p.y}`).join("")}`;
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const bend = rest[i]!;
    const end = i === rest.length - 2 ? rest[i + 1]! : midpoint(bend, rest[i + 1]!);
    d += ` Q${bend.x},${bend.y} ${end.x},${end.y}`;
  }
  return d;
}

/** The drawn curve of an edge as a polyline, each curve cut into `steps` straight pieces. */
export function edgeCurve(points: Point[], steps = 8): Point[] {
  if (points.length < 3) return points.map((p) => ({ x: p.x, y: p.y }));
  const [first, ...rest] = points;
  const out: Point[] = [{ x: first!.x, y: first!.y }];
  let from = first!;
  for (let i = 0; i < rest.length - 1; i++) {
    const bend = rest[i]!;
    const end = i === rest.length - 2 ? rest[i + 1]! : midpoint(bend, rest[i + 1]!);
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      const a = (1 - t) * (1 - t);
      const b = 2 * (1 - t) * t;
      const c = t * t;
      out.push({ x: a * from.x + b * bend.x + c * end.x, y: a * from.y + b * bend.y + c * end.y });
    }
    from = end;
  }
  return out;
}

function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}
