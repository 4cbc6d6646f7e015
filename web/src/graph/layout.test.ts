import { describe, expect, it } from "vitest";
import orderSaga from "../../../stacks/order-saga.asl.json" with { type: "json" };
import { buildGraph } from "./asl-graph.ts";
import { edgeCurve } from "./edge-path.ts";
import { boxesOverlap, contains, inflate, polylineHitsBox } from "./geometry.ts";
import { type GraphLayout, layoutGraph, METRICS, type PlacedNode } from "./layout.ts";
import { sagaDefinition } from "./test-fixtures.ts";

const inside = (child: PlacedNode, box: PlacedNode) =>
  child.x >= box.x &&
  child.y >= box.y &&
  child.x + child.width <= box.x + box.width &&
  child.y + child.height <= box.y + box.height;

/** What each caption covers, in words: states, group and branch headers, borders, lines, captions. */
function captionCollisions(layout: GraphLayout): string[] {
  const problems: string[] = [];
  const labelled = layout.edges.filter((e) => e.label);
  const groups = layout.nodes.filter((n) => n.group);
  const headers = [
    ...groups.map((g) => ({ name: g.id, box: { ...g, height: METRICS.groupHeader } })),
    ...layout.frames.map((f) => ({ name: f.id, box: { ...f, height: METRICS.frameHeader } })),
  ];
  for (const [i, edge] of labelled.entries()) {
    const box = edge.labelBox;
    if (!box) {
      problems.push(`${edge.id} has no caption box`);
      continue;
    }
    for (const n of layout.nodes.filter((n) => !n.group))
      if (boxesOverlap(box, n)) problems.push(`${edge.id} covers ${n.id}`);
    for (const h of headers)
      if (boxesOverlap(box, h.box)) problems.push(`${edge.id} covers the header of ${h.name}`);
    for (const c of [...groups, ...layout.frames])
      if (!contains(c, box) && boxesOverlap(box, c)) problems.push(`${edge.id} straddles ${c.id}`);
    for (const other of layout.edges)
      if (other !== edge && polylineHitsBox(edgeCurve(other.points), inflate(box, 1)))
        problems.push(`${edge.id} lies on ${other.id}`);
    for (const other of labelled.slice(i + 1))
      if (other.labelBox && boxesOverlap(box, other.labelBox))
        problems.push(`${edge.id} covers the caption of ${other.id}`);
  }
  return problems;
}

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
      for (const b of top) if (a !== b) expect(boxesOverlap(a, b), `${a.id}/${b.id}`).toBe(false);
    expect(node("__start__").y).toBeLessThan(node("ValidateOrder").y);
    expect(node("ValidateOrder").y).toBeLessThan(node("ReserveStock").y);
  });

  it("routes every edge and gives a caption box to every labelled edge only", () => {
    for (const edge of layout.edges) expect(edge.points.length, edge.id).toBeGreaterThanOrEqual(2);
    for (const edge of layout.edges)
      expect(edge.labelBox !== undefined, edge.id).toBe(edge.label !== undefined);
    expect(layout.edges.filter((e) => e.kind === "catch" && e.labelBox).length).toBeGreaterThan(3);
  });

  it("is deterministic", () => {
    expect(layoutGraph(buildGraph(sagaDefinition))).toEqual(layout);
  });
});

describe("layoutGraph captions", () => {
  it("cover no state, header, border, edge or other caption in the test saga", () => {
    expect(captionCollisions(layoutGraph(buildGraph(sagaDefinition)))).toEqual([]);
  });

  it("cover nothing in the deployed order saga (stacks/order-saga.asl.json)", () => {
    const layout = layoutGraph(buildGraph(orderSaga));
    expect(layout.edges.filter((e) => e.labelBox).length).toBeGreaterThan(5);
    expect(captionCollisions(layout)).toEqual([]);
  });

  it("cover nothing around a Choice with many rules into one crowded state", () => {
    const rule = (n: number) => ({
      Condition: `{% $states.input.total > ${n * 1000} %}`,
      Next: `Tier${n}`,
    });
    const tiers = Object.fromEntries(
      [1, 2, 3, 4, 5].map((n) => [
        `Tier${n}`,
        {
          Type: "Pass",
          Next: "Done",
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
        },
      ]),
    );
    const definition = {
      StartAt: "Route",
      States: {
        Route: { Type: "Choice", Choices: [1, 2, 3, 4, 5].map(rule), Default: "Done" },
        ...tiers,
        Done: { Type: "Succeed" },
        Failed: { Type: "Fail" },
      },
    };
    expect(captionCollisions(layoutGraph(buildGraph(definition)))).toEqual([]);
  });
});

describe("layoutGraph bounds", () => {
  it("keeps every edge point and caption inside the drawing", () => {
    const layout = layoutGraph(buildGraph(orderSaga));
    for (const edge of layout.edges) {
      const box = edge.labelBox;
      const corners = box ? [box, { x: box.x + box.width, y: box.y + box.height }] : [];
      for (const p of [...edge.points, ...corners]) {
        expect(p.x, edge.id).toBeGreaterThanOrEqual(0);
        expect(p.y, edge.id).toBeGreaterThanOrEqual(0);
        expect(p.x, edge.id).toBeLessThanOrEqual(layout.width);
        expect(p.y, edge.id).toBeLessThanOrEqual(layout.height);
      }
    }
  });
});
