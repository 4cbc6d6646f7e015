import { describe, expect, it } from "vitest";
import { boxesOverlap, polylineHitsBox } from "./geometry.ts";
import { type LabelScene, labelSize, placeLabels } from "./label-placement.ts";

const down = (x: number) => [
  { x, y: 0 },
  { x, y: 200 },
];

describe("placeLabels", () => {
  it("puts a caption on its edge's middle when nothing is there", () => {
    const scene: LabelScene = {
      states: [],
      containers: [],
      headers: [],
      edges: [{ id: "a", kind: "choice", label: "Default", points: down(100) }],
    };
    const box = placeLabels(scene).boxes.get("a")!;
    expect(box).toEqual({ ...labelSize("Default"), x: 100 - box.width / 2, y: 100 - 9 });
  });

  it("moves a caption off a state, another edge and another caption", () => {
    const scene: LabelScene = {
      states: [{ x: 60, y: 80, width: 80, height: 40 }],
      containers: [],
      headers: [],
      edges: [
        { id: "a", kind: "choice", label: "$.total > 1000", points: down(100) },
        { id: "b", kind: "default", label: "Default", points: down(200) },
        { id: "c", kind: "next", points: down(215) },
      ],
    };
    const { boxes, unplaced } = placeLabels(scene);
    expect(unplaced).toEqual([]);
    const a = boxes.get("a")!;
    const b = boxes.get("b")!;
    expect(boxesOverlap(a, b)).toBe(false);
    for (const box of [a, b]) {
      expect(boxesOverlap(box, scene.states[0]!)).toBe(false);
      expect(polylineHitsBox(down(215), box)).toBe(false);
    }
    expect(polylineHitsBox(down(200), a)).toBe(false);
    expect(polylineHitsBox(down(100), b)).toBe(false);
    expect(a.y + a.height).toBeLessThan(80); // moved along its edge, above the state
    expect(b.x + b.width).toBeLessThan(200); // moved beside its edge, off the other line
  });

  it("places always-shown captions before catch captions", () => {
    const scene: LabelScene = {
      states: [],
      containers: [],
      headers: [],
      edges: [
        { id: "catch", kind: "catch", label: "States.ALL", points: down(100) },
        { id: "choice", kind: "choice", label: "Default", points: down(100) },
      ],
    };
    const { boxes } = placeLabels(scene);
    expect(boxes.get("choice")!.y).toBe(91); // the middle, which the catch caption wanted too
    expect(boxes.get("catch")!.y).not.toBe(91);
  });

  it("reports a caption that has no room", () => {
    const scene: LabelScene = {
      states: [{ x: 0, y: 0, width: 400, height: 400 }],
      containers: [],
      headers: [],
      edges: [{ id: "a", kind: "choice", label: "Default", points: down(100) }],
    };
    expect(placeLabels(scene)).toEqual({ boxes: new Map(), unplaced: ["a"] });
  });
});
