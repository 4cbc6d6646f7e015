import { describe, expect, it } from "vitest";
import { VirtualClock } from "./clock.ts";

describe("VirtualClock", () => {
  it("fires due callbacks in time order when advanced, and not before", async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.schedule(2000, () => fired.push("b"));
    clock.schedule(1000, () => fired.push("a"));
    clock.schedule(5000, () => fired.push("c"));

    await clock.advance(2000);

    expect(fired).toEqual(["a", "b"]);
    expect(clock.now()).toBe(2000);
  });

  it("runs timers scheduled by a firing timer within the same jump", async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.schedule(1000, () => {
      fired.push(clock.now());
      clock.schedule(clock.now() + 500, () => fired.push(clock.now()));
    });

    await clock.advance(365 * 24 * 3600 * 1000);

    expect(fired).toEqual([1000, 1500]);
  });

  it("skips cancelled callbacks and awaits settle hooks after each one", async () => {
    const clock = new VirtualClock(0);
    const log: string[] = [];
    const cancel = clock.schedule(10, () => log.push("cancelled"));
    clock.schedule(20, () => log.push("timer"));
    clock.onSettle(async () => {
      log.push("settle");
    });
    cancel();

    await clock.advance(30);

    expect(log.filter((l) => l !== "settle")).toEqual(["timer"]);
    expect(log).toContain("settle");
  });
});
