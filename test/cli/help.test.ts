/**
 * `--help` everywhere: every command and subcommand of `countersign` prints its usage and exits 0,
 * and what the help lists is what the command accepts. The tree is walked in process (fast); a
 * few runs of the real binary prove it is the same tree `npx countersign` serves.
 */
import { type Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../local/cli/program.ts";
import { DEFAULT_PORT } from "../../local/cli/start.ts";
import { DEFAULT_DATA_DIR } from "../../local/platform/data-dir.ts";
import { cli } from "../platform/harness.ts";

/** The program `local/cli/index.ts` runs. */
const program = buildProgram;

/** Every command path below the root, parents before children. */
function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [path, ...paths(c, path)];
  });
}

function find(root: Command, path: string[]): Command {
  return path.reduce<Command>((c, name) => {
    const next = c.commands.find((x) => x.name() === name);
    if (!next) throw new Error(`no command ${path.join(" ")}`);
    return next;
  }, root);
}

/** Runs `countersign <path> --help` in process: what it prints, and the exit code it asks for. */
async function help(path: string[]): Promise<{ out: string; exitCode: number }> {
  const root = program();
  let out = "";
  const capture = (c: Command) => {
    c.exitOverride().configureOutput({
      writeOut: (s) => {
        out += s;
      },
      writeErr: (s) => {
        out += s;
      },
    });
    for (const sub of c.commands) capture(sub);
  };
  capture(root);
  try {
    await root.parseAsync([...path, "--help"], { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { out, exitCode: error.exitCode };
  }
  throw new Error(`countersign ${path.join(" ")} --help ran the command instead of helping`);
}

const CLIENT_COMMANDS = [
  "catalogue import",
  "orders place",
  "orders list",
  "approvals list",
  "approvals decide",
  "approvals audit export",
  "executions list",
  "executions describe",
  "executions history",
  "executions advance",
  "executions redrive",
  "outbox list",
  "outbox open",
  "orders retry-compensation",
];

/** What every command that also works on a deployed stage offers. */
const STAGE = ["--stage <name>", "--outputs <file>", "--json"];

/** What each leaf must list: its arguments and options (flags as printed). */
const EXPECTED: Record<string, string[]> = {
  "asl run": ["<definition>", "--input <json>", "--json"],
  "asl test": ["<paths...>", "--json"],
  "asl lint": ["<files...>", "--json", "--strict", "--config <file>", "--read-only <names...>"],
  "asl fuzz": [
    "<file>",
    "--handlers <module>",
    "--invariants <module>",
    "--runs <n>",
    "--seed <n>",
    "--run <k>",
    "--replay <schedule>",
    "--json",
  ],
  "sfn serve": [
    "--data-dir <dir>",
    "--port <port>",
    "--functions <module>",
    "--mock-config <file>",
    "--json",
  ],
  start: ["--data-dir <dir>", "--port <port>", "--no-demo", "--verbose", "--json"],
  "catalogue import": ["<file>", "--dry-run", ...STAGE],
  "orders place": ["[file]", "--demo", ...STAGE],
  "orders list": [...STAGE],
  "approvals list": [...STAGE],
  "approvals decide": ["<id> <decision>", "--comment <text>", "--as <email>", ...STAGE],
  "approvals audit export": [
    "--from <time>",
    "--to <time>",
    "--format <format>",
    "--out <file>",
    ...STAGE,
  ],
  "approvals audit verify": ["<file>", "--json"],
  "approvals webhook-key": [...STAGE],
  "executions list": ["--status <status>", ...STAGE],
  "executions describe": ["<execution>", ...STAGE],
  "executions history": ["<execution>", ...STAGE],
  "executions redrive": ["<execution>", ...STAGE],
  "executions advance": ["<execution>", "--by <duration>", "--to <time>", "--json"],
  "outbox list": ["--json"],
  "outbox open": ["<id>", "--json"],
  "orders retry-compensation": ["<orderId>", "--json"],
  status: ["--data-dir <dir>", "--json"],
};

describe("countersign --help", () => {
  const all = paths(program());

  it("knows every command", () => {
    expect(all.map((p) => p.join(" "))).toEqual(
      expect.arrayContaining([
        ...Object.keys(EXPECTED),
        "catalogue",
        "orders",
        "approvals",
        "executions",
      ]),
    );
    // Every leaf has an expectation below, so a new command cannot go unchecked.
    const leaves = all.filter((p) => find(program(), p).commands.length === 0);
    expect(leaves.map((p) => p.join(" ")).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(all.map((p) => [p.join(" "), p] as const))(
    "%s --help prints usage and exits 0",
    async (name, path) => {
      const { out, exitCode } = await help(path);
      const cmd = find(program(), path);
      expect(exitCode).toBe(0);
      expect(out).toMatch(new RegExp(`^Usage: countersign ${name} `));
      expect(cmd.description().length).toBeGreaterThan(10);
      expect(out).toContain(cmd.description().split(" ").slice(0, 4).join(" "));
      // Everything the command accepts is listed, with its description.
      const flat = out.replace(/\s+/g, " ");
      for (const o of cmd.options) {
        expect(flat).toContain(o.flags);
        expect(flat).toContain(o.description.split(" ").slice(0, 3).join(" "));
      }
      for (const a of cmd.registeredArguments) expect(flat).toContain(a.name());
      for (const sub of cmd.commands) expect(flat).toMatch(new RegExp(` ${sub.name()}\\b`));
      for (const expected of EXPECTED[name] ?? []) expect(flat).toContain(expected);
    },
  );

  it("shows the defaults the commands really use", async () => {
    const start = (await help(["start"])).out.replace(/\s+/g, " ");
    expect(start).toContain(`(default: "${DEFAULT_DATA_DIR}")`);
    expect(start).toContain(`(default: ${DEFAULT_PORT})`);
    expect(start).toContain("0 = any free port");
    const list = (await help(["executions", "list"])).out.replace(/\s+/g, " ");
    expect(list).toContain('"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"');
  });

  it("offers --json on every command, listed in its --help, and parses it", async () => {
    const leaves = all.filter((p) => find(program(), p).commands.length === 0);
    expect(leaves.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
    for (const path of leaves) {
      const name = path.join(" ");
      const { out } = await help(path);
      expect(out.replace(/\s+/g, " "), name).toMatch(/ --json {1,}\S/);
      // Accepted, not only listed: commander parses it as the command's own option.
      const json = find(program(), path).options.find((o) => o.long === "--json");
      expect(json, name).toBeDefined();
      expect(json?.required || json?.optional, name).toBe(false);
    }
  });

  it("offers --data-dir and --url on every command that talks to a running platform", () => {
    for (const name of CLIENT_COMMANDS) {
      const flags = find(program(), name.split(" ")).options.map((o) => o.long);
      expect(flags, name).toEqual(expect.arrayContaining(["--data-dir", "--url"]));
    }
  });

  it("the real binary serves the same tree, with help on every level", () => {
    const root = cli(["--help"]);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/^Usage: countersign \[options\] \[command\]/);
    const listed = [...root.stdout.matchAll(/^ {2}(\w+)(?: \[options\])?(?: \S+)* {2,}/gm)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual([...program().commands.map((c) => c.name()), "help"].sort());

    const leaf = cli(["approvals", "decide", "--help"]);
    expect(leaf.code).toBe(0);
    expect(leaf.stdout).toMatch(/^Usage: countersign approvals decide \[options\] <id> <decision>/);
    const viaHelp = cli(["help", "executions"]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: countersign executions/);
    expect(viaHelp.stdout).toMatch(/describe \[options\] <execution>/);
  });
});
