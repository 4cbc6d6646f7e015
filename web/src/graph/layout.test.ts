import { describe, expect, it } from "vitest";
import { buildGraph } from "./asl-graph.ts";
import { layoutGraph, type PlacedNode } from "./layout.ts";
import { sagaDefinition } from "./test-fixtures.ts";

const inside = (child: PlacedNode, box: PlacedNode) =>
  child.x >= box.x &&
  child.y >= box.y &&
  child.x + child.width <= box.x + box.width &&
  child.y + child.height <= box.y + box.height;

const overlap = (a: PlacedNode, b: PlacedNode) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("layoutGraph", () => {
  const layout = layoutGraph(buildGraph(sagaDefinition));
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;

  it("places every state inside the drawing", () => {
    expect(layout.nodes).toHaveLength(17);
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width + 0.5);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height + 0.5);
    }
  });

  it("draws Map and Parallel states as boxes around their inner states", () => {
    expect(node("ReserveStock").group).toBe(true);
    expect(inside(node("ReserveLine"), node("ReserveStock"))).toBe(true);
    expect(inside(node("ShipOrder"), node("Fulfil"))).toBe(true);
    expect(inside(node("NotifyCustomer"), node("Fulfil"))).toBe(true);
    expect(layout.frames.map((f) => f.label).sort()).toEqual(["Branch 1", "Branch 2", "Each item"]);
  });

  it("keeps states that are not nested apart, and the flow top to bottom", () => {
    const top = layout.nodes.filter((n) => n.depth === 0);
    for (const a of top)
      for (const b of top) if (a !== b) expect(overlap(a, b), `${a.id}/${b.id}`).toBe(false);
    expect(node("__start__").y).toBeLessThan(node("ValidateOrder").y);
    expect(node("ValidateOrder").y).toBeLessThan(node("ReserveStock").y);
  });

  it("routes every edge and puts caught-error captions on catch edges", () => {
    for (const edge of layout.edges) expect(edge.points.length, edge.id).toBeGreaterThanOrEqual(2);
    expect(layout.edges.find((e) => e.kind === "catch")?.labelAt).toBeDefined();
    expect(layout.edges.find((e) => e.kind === "next")?.labelAt).toBeUndefined();
  });

  it("is deterministic", () => {
    expect(layoutGraph(buildGraph(sagaDefinition))).toEqual(layout);
  });
});

describe("layoutGraph bounds", () => {
  it("keeps every edge point and label inside the drawing", () => {
    const layout = layoutGraph(buildGraph(sagaDefinition));
    for (const edge of layout.edges) {
      for (const p of [...edge.points, ...(edge.labelAt ? [edge.labelAt] : [])]) {
        expect(p.x, edge.id).toBeGreaterThanOrEqual(0);
        expect(p.y, edge.id).toBeGreaterThanOrEqual(0);
        expect(p.x, edge.id).toBeLessThanOrEqual(layout.width);
        expect(p.y, edge.id).toBeLessThanOrEqual(layout.height);
      }
    }
  });
});
