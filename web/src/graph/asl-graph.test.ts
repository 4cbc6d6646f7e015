import { describe, expect, it } from "vitest";
import {
  allNodes,
  buildGraph,
  DefinitionShapeError,
  describeResource,
  END_ID,
  START_ID,
} from "./asl-graph.ts";
import { sagaDefinition } from "./test-fixtures.ts";

describe("buildGraph", () => {
  it("draws the top level with start and end markers and every transition kind", () => {
    const graph = buildGraph(sagaDefinition);

    const ids = graph.nodes.map((n) => n.id);
    expect(ids[0]).toBe(START_ID);
    expect(ids.at(-1)).toBe(END_ID);
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: START_ID, to: "ValidateOrder", kind: "start" }),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: "ReserveStock", to: "NeedsApproval", kind: "next" }),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({
        from: "NeedsApproval",
        to: "RequestApproval",
        kind: "choice",
        label: "$states.input.total > 1000",
      }),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: "NeedsApproval", to: "ChargePayment", kind: "default" }),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({
        from: "RequestApproval",
        to: "ReleaseStock",
        kind: "catch",
        label: "States.Timeout",
      }),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: "Done", to: END_ID, kind: "end" }),
    );
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: "OrderFailed", to: END_ID, kind: "end" }),
    );
  });

  it("nests a Map's item processor and each Parallel branch as blocks without markers", () => {
    const graph = buildGraph(sagaDefinition);

    const map = graph.nodes.find((n) => n.id === "ReserveStock")!;
    const parallel = graph.nodes.find((n) => n.id === "Fulfil")!;
    expect(map.blocks?.map((b) => b.nodes.map((n) => n.id))).toEqual([["ReserveLine"]]);
    expect(parallel.blocks?.map((b) => b.label)).toEqual(["Branch 1", "Branch 2"]);
    expect(parallel.blocks?.map((b) => b.nodes.map((n) => n.id))).toEqual([
      ["ShipOrder"],
      ["NotifyCustomer"],
    ]);
    expect(allNodes(graph).filter((n) => n.type === "Start")).toHaveLength(1);
  });

  it("reads the legacy Iterator field and JSONPath choice rules", () => {
    const graph = buildGraph({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          Iterator: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          Next: "C",
        },
        C: {
          Type: "Choice",
          Choices: [{ Variable: "$.total", NumericGreaterThan: 1000, Next: "Big" }],
          Default: "Big",
        },
        Big: { Type: "Succeed" },
      },
    });

    expect(allNodes(graph).map((n) => n.id)).toContain("P");
    expect(graph.edges.find((e) => e.kind === "choice")?.label).toBe("$.total > 1000");
  });

  it("says which field is wrong when the definition has no States", () => {
    expect(() => buildGraph({ StartAt: "A" })).toThrow(DefinitionShapeError);
    expect(() => buildGraph({ StartAt: "A" })).toThrow(/"States"/);
  });

  it("names the Lambda function a task calls", () => {
    expect(
      describeResource({
        Resource: "arn:aws:states:::lambda:invoke",
        Arguments: { FunctionName: "${ShipOrderFunctionArn}" },
      }),
    ).toBe("Lambda ShipOrder");
    expect(
      describeResource({
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:RequestApproval",
        },
      }),
    ).toBe("Lambda RequestApproval (wait for callback)");
    expect(describeResource({ Resource: "arn:aws:states:::dynamodb:putItem" })).toBe(
      "dynamodb putItem",
    );
  });
});
