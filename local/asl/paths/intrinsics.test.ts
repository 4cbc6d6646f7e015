import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPORA } from "../../../test/conformance/corpora.ts";
import { StatesError } from "../errors.ts";
import type { Json, JsonObject } from "../types.ts";
import {
  checkIntrinsic,
  evaluateIntrinsic,
  INTRINSIC_ERROR,
  type IntrinsicScope,
  isIntrinsicCall,
} from "./intrinsics.ts";

const CORPUS = CORPORA.pure;

/** Resolves the simple dotted paths the corpus uses: `$.a.b` and `$$.Execution.Input.a`. */
function scopeFor(input: Json, random: () => number = () => 0.5): IntrinsicScope {
  return {
    resolvePath(path) {
      const [root, rest] = path.startsWith("$$.Execution.Input")
        ? [input, path.slice("$$.Execution.Input".length)]
        : [input, path.slice(1)];
      let v: Json = root;
      for (const key of rest.split(".").filter(Boolean)) {
        if (typeof v !== "object" || v === null || Array.isArray(v) || !(key in v)) {
          throw new StatesError("States.Runtime", `The JSONPath '${path}' could not be found`);
        }
        v = (v as JsonObject)[key] as Json;
      }
      return v;
    },
    random,
  };
}

function run(expression: string, input: Json = {}, random?: () => number): Json {
  return evaluateIntrinsic(expression, scopeFor(input, random));
}

function failure(
  expression: string,
  input: Json = {},
): { error: string; cause: string; detail: string } {
  try {
    run(expression, input);
  } catch (e) {
    if (e instanceof StatesError) {
      const detail = e.cause instanceof Error ? e.cause.message : "";
      return { error: e.error, cause: e.causeText, detail };
    }
    throw e;
  }
  throw new Error(`expected ${expression} to fail`);
}

interface CorpusCase {
  definition: { States: Record<string, JsonObject> };
  input: Json;
  expected: { status: string; output?: Json; cause?: string };
}

const cases = readdirSync(CORPUS)
  .filter((f) => f.startsWith("intrinsic_functions__"))
  .map((f) => ({ file: f, c: JSON.parse(readFileSync(join(CORPUS, f), "utf8")) as CorpusCase }))
  .flatMap(({ file, c }) => {
    const params = Object.values(c.definition.States)[0]?.Parameters as JsonObject | undefined;
    const expression = params?.["FunctionResult.$"] ?? params?.["merged.$"];
    if (typeof expression !== "string") return [];
    const output = c.expected.output as JsonObject;
    const expected = "FunctionResult" in output ? output.FunctionResult : output;
    return [{ file, expression, input: c.input, expected }];
  });

describe("intrinsics against the AWS-recorded corpus", () => {
  it("covers the corpus's JSONPath intrinsic cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)("$file", ({ expression, input, expected }) => {
    expect(run(expression, input)).toEqual(expected);
  });

  it("builds a Fail state's cause with States.Format (base__test_state_fail_intrinsic)", () => {
    const input = { Error: "error string", Cause: "cause string" };
    const cause = run(
      "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
      input,
    );
    expect(cause).toBe("This is a custom error message for error string, caused by cause string.");
  });
});

describe("parsing", () => {
  it("recognises intrinsic calls and not paths", () => {
    expect(isIntrinsicCall("States.Array($.a)")).toBe(true);
    expect(isIntrinsicCall("$.States")).toBe(false);
    expect(isIntrinsicCall("States.Format")).toBe(false);
  });

  it("unescapes \\' \\{ \\} and \\\\ in string literals", () => {
    expect(run("States.Format('it\\'s \\{\\} {} \\\\', 'x')")).toBe("it's {} x \\");
  });

  it("accepts literals of every kind and nested calls", () => {
    expect(run("States.Array(42, -1.5, true, false, null, 'hi', States.Array(1, 2))")).toEqual([
      42,
      -1.5,
      true,
      false,
      null,
      "hi",
      [1, 2],
    ]);
  });

  it("tolerates whitespace around arguments", () => {
    expect(run("States.Array( $.a , $.b )", { a: 1, b: 2 })).toEqual([1, 2]);
  });

  it("passes bracketed and variable paths whole to the engine", () => {
    const seen: string[] = [];
    evaluateIntrinsic("States.Array($.a['x,y'], $items[0], $$.Map.Item.Value)", {
      resolvePath: (p) => {
        seen.push(p);
        return p;
      },
      random: () => 0,
    });
    expect(seen).toEqual(["$.a['x,y']", "$items[0]", "$$.Map.Item.Value"]);
  });

  it.each([
    "States.Array($.a) trailing",
    "States.Array(",
    "States.Array([1,2])",
    "States.Array(1.)",
    "States.Array(.5)",
    "States.ArrayGetItem($.arr, )",
    "States.Format('unterminated)",
    "States.Format('bad \\n escape')",
  ])("rejects malformed %s", (expression) => {
    expect(failure(expression, { a: 1, arr: [1] }).error).toBe(INTRINSIC_ERROR);
    expect(checkIntrinsic(expression)[0]).toMatch(/^Malformed intrinsic function/);
  });
});

describe("function semantics observed on AWS", () => {
  it("States.Format renders null, booleans, numbers, arrays and objects", () => {
    expect(run("States.Format('{}|{}|{}|{}', null, false, 3.5, $.a)", { a: [1, "x"] })).toBe(
      "null|false|3.5|[1, x]",
    );
    expect(run("States.Format('{}', $.o)", { o: { Arg1: 1, Arg2: [] } })).toBe("{Arg1=1, Arg2=[]}");
    expect(run("States.Format($.t, $.n)", { t: "Hello {}", n: "Ada" })).toBe("Hello Ada");
  });

  it.each([
    "States.Format('{} {}', 'x')",
    "States.Format('{}', 'x', 'y')",
    "States.Format('Hello {', 'x')",
    "States.Format('Hello {{}}', 'x')",
    "States.Format('}')",
  ])("States.Format rejects %s", (expression) => {
    expect(failure(expression)).toEqual({
      error: "States.Runtime",
      cause: "Invalid arguments in States.Format",
      detail: expect.stringMatching(/^States.Format: /),
    });
  });

  it("reports AWS's exact cause text and keeps the reason as the error's cause", () => {
    expect(failure("States.MathAdd('a', 1)")).toEqual({
      error: "States.Runtime",
      cause: "Invalid arguments in States.MathAdd",
      detail: "States.MathAdd: the first value must be a number",
    });
  });

  it("States.MathAdd rounds half up and stays within 32-bit integers", () => {
    expect(run("States.MathAdd(-1.5, 0)")).toBe(-1);
    expect(run("States.MathAdd(-0.5, 0)")).toBe(0);
    expect(Object.is(run("States.MathAdd(-0.5, 0)"), -0)).toBe(false);
    expect(run("States.MathAdd(2147483646, 1)")).toBe(2147483647);
    expect(failure("States.MathAdd(2147483647, 1)").cause).toMatch(
      /Invalid arguments in States.MathAdd/,
    );
    expect(failure("States.MathAdd(3000000000, 1)").error).toBe("States.Runtime");
    expect(failure("States.MathAdd('1', 2)").error).toBe("States.Runtime");
    expect(failure("States.MathAdd(1)").detail).toMatch(/takes 2 argument/);
  });

  it("States.ArrayRange truncates, counts down with a negative step, and caps at 1000 items", () => {
    expect(run("States.ArrayRange(1.4, 5.6, 2.2)")).toEqual([1, 3, 5]);
    expect(run("States.ArrayRange(5, 1, -2)")).toEqual([5, 3, 1]);
    expect(run("States.ArrayRange(5, 1, 1)")).toEqual([]);
    expect(run("States.ArrayRange(5.4, -0.6, -2.4)")).toEqual([5, 3, 1]);
    expect((run("States.ArrayRange(1, 1000, 1)") as number[]).length).toBe(1000);
    expect(failure("States.ArrayRange(1, 1001, 1)").detail).toMatch(/at most 1000/);
    expect(failure("States.ArrayRange(1, 10, 0.49)").detail).toMatch(/step must not be 0/);
  });

  it("States.ArrayPartition truncates the chunk size and rejects sizes below 1", () => {
    expect(run("States.ArrayPartition($.a, 2.6)", { a: [1, 2, 3, 4, 5] })).toEqual([
      [1, 2],
      [3, 4],
      [5],
    ]);
    expect(failure("States.ArrayPartition($.a, 0.6)", { a: [1] }).detail).toMatch(/at least 1/);
    expect(failure("States.ArrayPartition('x', 2)").error).toBe("States.Runtime");
  });

  it("States.ArrayGetItem truncates the index and fails out of range, except on an empty array", () => {
    expect(run("States.ArrayGetItem($.a, 1.2)", { a: [10, 20, 30] })).toBe(20);
    expect(run("States.ArrayGetItem($.a, 999)", { a: [] })).toBeNull();
    expect(failure("States.ArrayGetItem($.a, 3)", { a: [10, 20, 30] }).detail).toMatch(
      /out of range/,
    );
    expect(failure("States.ArrayGetItem($.a, -1)", { a: [10] }).error).toBe("States.Runtime");
  });

  it("States.ArrayContains matches scalars by text and containers by serialisation", () => {
    expect(run("States.ArrayContains($.a, true)", { a: ["true"] })).toBe(true);
    expect(run("States.ArrayContains($.a, false)", { a: [0, 1] })).toBe(false);
    expect(run("States.ArrayContains($.a, $.t)", { a: [{ a: 1, b: 2 }], t: { b: 2, a: 1 } })).toBe(
      false,
    );
    expect(run("States.ArrayContains($.a, null)", { a: [1, null] })).toBe(true);
  });

  it("States.ArrayUnique deduplicates structurally in AWS's (Java HashSet) order", () => {
    expect(run("States.ArrayUnique($.a)", { a: [1, 2, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
    expect(run("States.ArrayUnique($.a)", { a: ["a", "b", "a", "c", "b"] })).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(run("States.ArrayUnique($.a)", { a: [true, false, true, false] })).toEqual([
      false,
      true,
    ]);
    expect(
      run("States.ArrayUnique($.a)", {
        a: [
          [1, 2],
          [1, 2],
          [2, 1],
        ],
      }),
    ).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(run("States.ArrayUnique($.a)", { a: [null, null, 1, null] })).toEqual([null, 1]);
    expect(
      run("States.ArrayUnique($.a)", {
        a: [
          { a: 1, b: 2 },
          { b: 2, a: 1 },
        ],
      }),
    ).toEqual([{ a: 1, b: 2 }]);
    expect(run("States.ArrayUnique($.a)", { a: [1, "1", "01"] })).toEqual([1, "1", "01"]);
    // Order printed by a HashSet of Jackson 2.20 nodes on OpenJDK 17 for the same items.
    const mixed = [
      1.5,
      2.5,
      -3,
      "x",
      { k: [1] },
      ["z"],
      true,
      100000,
      3000000000,
      "hello world",
      17,
      33,
      49,
      0,
      -1,
    ];
    expect(run("States.ArrayUnique($.a)", { a: mixed })).toEqual([
      0,
      -1,
      100000,
      33,
      -3,
      true,
      2.5,
      { k: [1] },
      "hello world",
      3000000000,
      17,
      49,
      1.5,
      "x",
      ["z"],
    ]);
  });

  it("States.Base64Encode/Decode round-trip UTF-8 and limit input to 10,000 characters", () => {
    expect(run("States.Base64Encode('✓')")).toBe("4pyT");
    expect(run("States.Base64Decode('44GT44KT44Gr44Gh44Gv')")).toBe("こんにちは");
    expect(run("States.Base64Decode($.s)", { s: "A".repeat(10000) })).toEqual(expect.any(String));
    expect(failure("States.Base64Decode($.s)", { s: "A".repeat(10001) }).detail).toMatch(
      /at most 10000/,
    );
    expect(failure("States.Base64Encode(123)").error).toBe("States.Runtime");
  });

  it("States.Hash supports AWS's five algorithms by exact name", () => {
    expect(run("States.Hash('hello', 'MD5')")).toBe("5d41402abc4b2a76b9719d911017c592");
    expect(run("States.Hash('hello', 'SHA-1')")).toBe("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
    expect(run("States.Hash('', 'SHA-256')")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(run("States.Hash('hello', 'SHA-384')")).toHaveLength(96);
    expect(run("States.Hash('hello', 'SHA-512')")).toHaveLength(128);
    expect(run("States.Hash($.s, 'SHA-256')", { s: "✓" })).toBe(
      "1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604",
    );
    for (const bad of ["sha-256", "SHA256", "MD-5", ""]) {
      expect(failure(`States.Hash('x', '${bad}')`).detail).toMatch(/MD5, SHA-1/);
    }
    expect(failure("States.Hash($.s, 'MD5')", { s: "a".repeat(10001) }).error).toBe(
      "States.Runtime",
    );
  });

  it("States.JsonMerge merges shallowly, right wins, and refuses deep merging", () => {
    expect(
      run("States.JsonMerge($.a, $.b, false)", { a: { n: { x: 1 }, k: 1 }, b: { n: { y: 2 } } }),
    ).toEqual({
      n: { y: 2 },
      k: 1,
    });
    expect(failure("States.JsonMerge($.a, $.b, true)", { a: {}, b: {} }).detail).toMatch(
      /deep merging/,
    );
    expect(failure("States.JsonMerge($.a, $.b, false)", { a: [], b: {} }).error).toBe(
      "States.Runtime",
    );
    expect(failure("States.JsonMerge($.a, $.b)", { a: {}, b: {} }).detail).toMatch(/takes 3/);
  });

  it("States.StringToJson reads blank text as null and rejects invalid JSON", () => {
    expect(run("States.StringToJson(' ')")).toBeNull();
    expect(run("States.StringToJson($.s)", { s: ' {"a":1} ' })).toEqual({ a: 1 });
    expect(failure("States.StringToJson($.s)", { s: "{bad json}" }).error).toBe("States.Runtime");
    expect(failure("States.StringToJson($.s)", { s: 123 }).error).toBe("States.Runtime");
  });

  it("States.StringSplit splits on any delimiter character and drops empty tokens", () => {
    expect(run("States.StringSplit('a,,b', ',')")).toEqual(["a", "b"]);
    expect(run("States.StringSplit('', ',')")).toEqual([]);
    expect(run("States.StringSplit('1a2b3ab4', 'ab')")).toEqual(["1", "2", "3", "4"]);
    expect(failure("States.StringSplit($.s, ',')", { s: 1 }).error).toBe("States.Runtime");
  });

  it("States.MathRandom draws from [start, end) with the engine's PRNG or a seed", () => {
    expect(run("States.MathRandom(1, 999)", {}, () => 0)).toBe(1);
    expect(run("States.MathRandom(1, 999)", {}, () => 0.999999)).toBe(998);
    expect(run("States.MathRandom(1.6, 5.4)", {}, () => 0)).toBe(1);
    const seeded = run("States.MathRandom(1, 100, 42)", {}, () => 0);
    expect(run("States.MathRandom(1, 100, 42)", {}, () => 0.9)).toBe(seeded);
    expect(failure("States.MathRandom(1.4, 1.6)").cause).toMatch(
      /Invalid arguments in States.MathRandom/,
    );
    expect(failure("States.MathRandom(10, 5)").error).toBe("States.Runtime");
    expect(failure("States.MathRandom(1, 10, null)").error).toBe("States.Runtime");
  });

  it("a seeded States.MathRandom draws what java.util.Random(seed).nextInt does (OpenJDK 17)", () => {
    // Expected values printed by `new Random(seed).nextInt(bound)` on OpenJDK 17.
    const java: [number, number, number][] = [
      [42, 99, 62],
      [42, 16, 11],
      [1, 1000000, 548985],
      [1, 2000000, 1548985],
      [0, 999, 672],
      [-10, 9, 0],
      [123456789, 7, 1],
    ];
    for (const [seed, bound, value] of java) {
      expect(run(`States.MathRandom(0, ${bound}, ${seed})`)).toBe(value);
    }
    expect(run("States.MathRandom(1, 100, 42)")).toBe(63);
  });

  it("States.UUID makes a version 4 UUID from the engine's PRNG, the same for the same sequence", () => {
    let i = 0;
    const seq = () => (((i++ * 0.37) % 1) + 1) % 1;
    const first = run("States.UUID()", {}, seq);
    i = 0;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run("States.UUID()", {}, seq)).toBe(first);
  });

  it("reports an unknown function", () => {
    expect(failure("States.Compare($.a, $.b)", { a: 1, b: 1 }).cause).toMatch(/not supported/);
  });
});

describe("checkIntrinsic (definition-time checks)", () => {
  it("accepts valid calls", () => {
    expect(checkIntrinsic("States.Format('{}', States.MathAdd($.a, 1))")).toEqual([]);
  });

  it("names unknown functions, wrong arity, bad literals and deep nesting", () => {
    expect(checkIntrinsic("States.Foo(1)")[0]).toMatch(/Unknown intrinsic function States.Foo/);
    expect(checkIntrinsic("States.ArrayRange(1, 5)")[0]).toMatch(
      /takes 3 argument\(s\) but was given 2/,
    );
    expect(checkIntrinsic("States.Hash('x', 'SHA256')")[0]).toMatch(/MD5, SHA-1/);
    expect(checkIntrinsic("States.Format('{', $.a)")[0]).toMatch(/unescaped/);
    const deep = `${"States.Array(".repeat(11)}1${")".repeat(11)}`;
    expect(checkIntrinsic(deep)[0]).toMatch(/nested 11 deep/);
  });
});
