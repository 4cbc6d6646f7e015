import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatDuration,
  formatMoney,
  prettyJson,
  relativeTime,
  timeLeft,
} from "./format.ts";

const now = Date.parse("2026-11-26T12:00:00Z");

describe("format", () => {
  it("shows money with its currency", () => {
    // One format with the emails and the titles the saga builds ("#,##0.00 EUR").
    expect(formatMoney(1250, "USD", "en-US")).toBe("1,250.00 USD");
    expect(formatMoney(9.5, "EUR", "en-US")).toBe("9.50 EUR");
    expect(formatMoney(3056, "EUR", "de-DE")).toBe("3.056,00 EUR");
  });

  it("shows a time whole, with its zone, in the reader's zone", () => {
    expect(formatDateTime("2026-12-02T15:49:42.714Z", "en-US", "Europe/Berlin")).toBe(
      "Dec 2, 2026, 4:49:42 PM GMT+1",
    );
    expect(formatDateTime("2026-12-02T15:49:42.714Z", "en-GB", "UTC")).toBe(
      "2 Dec 2026, 15:49:42 UTC",
    );
  });

  it("shows the two largest units of a duration", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(3_723_000)).toBe("1 h 2 min");
    expect(formatDuration(90_000_000)).toBe("1 d 1 h");
    expect(formatDuration(7_200_000)).toBe("2 h");
  });

  it("says how long an approval has left, and when it expired", () => {
    expect(timeLeft("2026-11-26T17:03:00Z", now)).toEqual({
      text: "5 h 3 min left",
      expired: false,
      urgent: false,
    });
    expect(timeLeft("2026-11-26T12:30:00Z", now).urgent).toBe(true);
    expect(timeLeft("2026-11-26T11:58:00Z", now)).toEqual({
      text: "expired 2 min ago",
      expired: true,
      urgent: false,
    });
  });

  it("says how long ago something happened", () => {
    expect(relativeTime("2026-11-26T11:55:00Z", now)).toBe("5 min ago");
    expect(relativeTime("2026-11-26T12:00:01Z", now)).toBe("just now");
  });

  it("pretty-prints JSON strings and leaves other text alone", () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson("not json")).toBe("not json");
  });
});
