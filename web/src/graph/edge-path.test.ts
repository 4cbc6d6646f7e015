import { describe, expect, it } from "vitest";
import { edgeCurve, edgePathData } from "./edge-path.ts";

describe("edge paths", () => {
  it("draws two points as a line and more as curves through the bends", () => {
    expect(
      edgePathData([
        { x: 0, y: 0 },
        { x: 0, y: 10 },
      ]),
    ).toBe("M0,0 L0,10");
    expect(
      edgePathData([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 10, y: 10 },
        { x: 20, y: 10 },
      ]),
    ).toBe("M0,0 Q10,0 10,5 Q10,10 20,10");
  });

  it("samples the drawn curve, not the polyline: it starts and ends where the path does and cuts the bends", () => {
    const points = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
    ];
    const curve = edgeCurve(points, 4);
    expect(curve[0]).toEqual({ x: 0, y: 0 });
    expect(curve.at(-1)).toEqual({ x: 10, y: 10 });
    // Halfway along the quadratic curve: (7.5, 2.5), inside the corner the polyline makes.
    expect(curve[2]).toEqual({ x: 7.5, y: 2.5 });
  });
});
