/**
 * Plane geometry for the graph: axis-aligned boxes and polylines, in SVG user units. Pure; shared
 * by the label placement and by the tests that check a drawing (unit and browser).
 */

export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned box by its top-left corner and size. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box grown by `by` on every side (shrunk when negative). */
export function inflate(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** Whether two boxes share any area (touching edges do not count). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether `inner` lies wholly inside `outer`. */
export function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** Whether the segment from `p` to `q` passes through the inside of `box` (Liang–Barsky clip). */
export function segmentHitsBox(p: Point, q: Point, box: Box): boolean {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, p.x - box.x],
    [dx, box.x + box.width - p.x],
    [-dy, p.y - box.y],
    [dy, box.y + box.height - p.y],
  ];
  for (const [denominator, numerator] of edges) {
    if (denominator === 0) {
      if (numerator <= 0) return false; // parallel to this side and outside (or on) it
      continue;
    }
    const t = numerator / denominator;
    if (denominator < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
  }
  return t1 - t0 > 1e-9;
}

/** Whether any segment of a polyline passes through the inside of `box`. */
export function polylineHitsBox(points: Point[], box: Box): boolean {
  for (let i = 1; i < points.length; i++) {
    if (segmentHitsBox(points[i - 1]!, points[i]!, box)) return true;
  }
  return false;
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
