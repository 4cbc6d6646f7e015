import { afterEach, describe, expect, it, vi } from "vitest";
import { COMPENSATIONS_PARKED, emitCount, METRICS_NAMESPACE } from "./metrics.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("emitCount", () => {
  it("writes one embedded-metric-format line on stdout that CloudWatch turns into the metric", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    emitCount(COMPENSATIONS_PARKED, { message: "compensation parked", orderId: "ord-1" });

    expect(written).toHaveLength(1);
    expect(written[0]?.endsWith("\n")).toBe(true);
    const line = JSON.parse(written[0] as string);
    // The EMF specification: a root `_aws` with a millisecond timestamp and the metric directive,
    // and each named metric as a number at the root beside the other fields.
    expect(line._aws.Timestamp).toBeTypeOf("number");
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [[]],
        Metrics: [{ Name: "CompensationsParked", Unit: "Count" }],
      },
    ]);
    expect(line.CompensationsParked).toBe(1);
    expect(line).toMatchObject({ message: "compensation parked", orderId: "ord-1" });
  });
});
