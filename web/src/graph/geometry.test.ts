import { describe, expect, it } from "vitest";
import {
  boxesOverlap,
  contains,
  inflate,
  pointAlong,
  polylineHitsBox,
  segmentHitsBox,
} from "./geometry.ts";

const box = { x: 10, y: 10, width: 20, height: 10 };

describe("geometry", () => {
  it("tells overlapping boxes from touching and separate ones", () => {
    expect(boxesOverlap(box, { x: 29, y: 19, width: 5, height: 5 })).toBe(true);
    expect(boxesOverlap(box, { x: 30, y: 10, width: 5, height: 5 })).toBe(false); // touching
    expect(boxesOverlap(box, { x: 0, y: 30, width: 50, height: 5 })).toBe(false);
  });

  it("grows, shrinks and nests boxes", () => {
    expect(inflate(box, 2)).toEqual({ x: 8, y: 8, width: 24, height: 14 });
    expect(contains(inflate(box, 2), box)).toBe(true);
    expect(contains(box, inflate(box, 2))).toBe(false);
  });

  it("finds segments that cross a box, pass beside it, or end inside it", () => {
    expect(segmentHitsBox({ x: 0, y: 15 }, { x: 40, y: 15 }, box)).toBe(true); // through
    expect(segmentHitsBox({ x: 20, y: 0 }, { x: 20, y: 12 }, box)).toBe(true); // ends inside
    expect(segmentHitsBox({ x: 0, y: 5 }, { x: 40, y: 5 }, box)).toBe(false); // above
    expect(segmentHitsBox({ x: 0, y: 10 }, { x: 40, y: 10 }, box)).toBe(false); // along the top
    expect(segmentHitsBox({ x: 0, y: 0 }, { x: 9, y: 40 }, box)).toBe(false); // misses the corner
    expect(segmentHitsBox({ x: 0, y: 0 }, { x: 40, y: 40 }, box)).toBe(true); // diagonal through
  });

  it("checks every segment of a polyline", () => {
    const around = [
      { x: 0, y: 0 },
      { x: 40, y: 0 },
      { x: 40, y: 40 },
    ];
    expect(polylineHitsBox(around, box)).toBe(false);
    expect(polylineHitsBox([...around, { x: 20, y: 15 }], box)).toBe(true);
  });

  it("walks a polyline by length", () => {
    const l = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 30 },
    ];
    expect(pointAlong(l, 0)).toEqual({ x: 0, y: 0 });
    expect(pointAlong(l, 0.5)).toEqual({ x: 10, y: 10 });
    expect(pointAlong(l, 1)).toEqual({ x: 10, y: 30 });
  });
});
