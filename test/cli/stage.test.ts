/**
 * The CLI against a deployed stage (`--stage NAME`): no AWS account exists here, so the "stage"
 * is a real local platform and its outputs file is the one SST would write, in `.sst/outputs.json`
 * of the directory the CLI runs in, naming the platform's table, state machine and API. The CLI
 * then uses the AWS SDK exactly as against AWS — default credential chain, region from the state
 * machine's ARN — with only the SDK's standard `AWS_ENDPOINT_URL_<SERVICE>` settings pointing it
 * at loopback: real HTTP, the real SDK, the real saga.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PlatformUrls, readUrls, signingKey } from "../../local/platform/data-dir.ts";
import {
  cliAsync,
  eventually,
  type Started,
  startPlatform,
  stop,
  tempDataDir,
} from "../platform/harness.ts";

let platform: Started;
let urls: PlatformUrls;
/** The app directory the CLI runs in, holding `.sst/outputs.json` for stage `loopback`. */
let app: string;
let env: NodeJS.ProcessEnv;
const STAGE = "loopback";

/** `countersign <args> --stage loopback`, from the app directory, as a user with credentials. */
const stage = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  cliAsync([...args, "--stage", STAGE], { ...env, ...extraEnv }, app);
const json = async <T>(args: string[]): Promise<T> => {
  const r = await stage([...args, "--json"]);
  if (r.code !== 0) throw new Error(`countersign ${args.join(" ")} --stage failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};
const file = (name: string, text: string) => {
  const path = join(app, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  const dataDir = tempDataDir();
  platform = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"], {
    timeoutMs: 180_000,
  });
  urls = readUrls(dataDir);
  app = mkdtempSync(join(tmpdir(), "countersign-app-"));
  mkdirSync(join(app, ".sst"));
  // What `sst deploy --stage loopback` writes (sst.config.ts's outputs).
  writeFileSync(
    join(app, ".sst", "outputs.json"),
    JSON.stringify({
      stage: STAGE,
      api: urls.api,
      apiFunctionUrl: urls.api,
      dashboard: urls.dashboard,
      stateMachineArn: urls.stateMachineArn,
      table: "countersign",
      sender: "approvals@countersign.local",
    }),
  );
  env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "stageuser",
    AWS_SECRET_ACCESS_KEY: "stagesecret",
    // The stage's region comes from its state machine's ARN, whatever the shell says.
    AWS_REGION: "eu-west-3",
    AWS_ENDPOINT_URL_SFN: urls.stepFunctions,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_EC2_METADATA_DISABLED: "true",
    // Decisions go into the signed audit ledger: the stage's signing key (stage-client.ts).
    COUNTERSIGN_SIGNING_KEY: signingKey(dataDir),
  };
}, 200_000);

afterAll(async () => {
  if (platform) await stop(platform.child);
});

describe("countersign --stage", { timeout: 180_000 }, () => {
  it("imports a catalogue, places an order, decides its approval and follows it to the end", async () => {
    const catalogue = file(
      "shop.csv",
      "sku,name,price,currency,stock\nCHAIR,Ergonomic chair,649.00,EUR,10\nLAMP,Desk lamp,39.90,EUR,40\n",
    );
    const dry = await stage(["catalogue", "import", catalogue, "--dry-run"]);
    expect(dry.stdout).toMatch(
      /^Dry run: 2 products in .*shop\.csv are valid \(2 new, 0 updated, 0 unchanged in stage loopback \(us-east-1\)\); nothing was written/,
    );
    expect((await stage(["catalogue", "import", catalogue])).stdout).toMatch(
      /^Imported 2 products into stage loopback \(us-east-1\) \(2 new/,
    );
    expect(await json(["catalogue", "import", catalogue, "--dry-run"])).toMatchObject({
      unchanged: ["CHAIR", "LAMP"],
    });

    const orderId = `stage-${Date.now().toString(36)}`;
    const order = file(
      "order.json",
      JSON.stringify({
        orderId,
        customer: { name: "Grace Hopper", email: "grace@example.com" },
        currency: "EUR",
        lines: [{ sku: "CHAIR", quantity: 2 }],
        payment: { method: "pm_card_visa" },
        shipping: { line1: "1 Navy Way", city: "Arlington", postalCode: "22202", country: "US" },
      }),
    );
    const placed = await json<{ orderId: string; executionArn: string }>([
      "orders",
      "place",
      order,
    ]);
    expect(placed.executionArn).toBe(
      `${urls.stateMachineArn.replace(":stateMachine:", ":execution:")}:${orderId}`,
    );

    const approval = await eventually(async () =>
      (
        await json<{ approvalId: string; context: { orderId: string } }[]>(["approvals", "list"])
      ).find((a) => a.context?.orderId === orderId),
    );
    const decided = await stage([
      "approvals",
      "decide",
      approval.approvalId,
      "approve",
      "--as",
      "manager@countersign.local",
      "--comment",
      "from the terminal",
    ]);
    expect(decided.code, decided.stderr).toBe(0);
    expect(decided.stdout).toMatch(
      new RegExp(
        `^Approved — manager@countersign\\.local approved "Order ${orderId} for [\\d,.]+ EUR" at `,
      ),
    );
    const again = await stage(["approvals", "decide", approval.approvalId, "reject"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Already approved by manager@countersign\.local/);

    const done = await eventually(async () => {
      const d = await json<{ status: string }>(["executions", "describe", placed.executionArn]);
      return d.status !== "RUNNING" ? d : undefined;
    }, 90_000);
    expect(done.status).toBe("SUCCEEDED");
    const { events } = await json<{ events: unknown[] }>([
      "executions",
      "history",
      placed.executionArn,
    ]);
    const history = JSON.stringify(events);
    expect(history).toContain('"decision\\":\\"approve\\"');
    expect(history).toContain("[redacted]");
    const listed = await json<{ executions: { name: string }[] }>(["executions", "list"]);
    expect(listed.executions.map((e) => e.name)).toContain(orderId);
    const orders = await json<{ orderId: string; status: string }[]>(["orders", "list"]);
    expect(orders.find((o) => o.orderId === orderId)?.status).toBe("COMPLETED");
    expect((await json(["catalogue", "import", catalogue, "--dry-run"])) as object).toMatchObject({
      updated: ["CHAIR"],
    });
  });

  it("refuses a bad catalogue with every line and field, and imports none of it", async () => {
    const bad = file(
      "bad.csv",
      "sku,name,price,currency,stock\nDESK,Oak desk,1199.00,EUR,5\nSTOOL,,12,EUR,3\nRUG,Rug,twelve,EUR,-2\n",
    );
    const r = await stage(["catalogue", "import", bad]);

    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `countersign: ${bad} has 3 problems; nothing was imported:`,
      `  ${bad}:3: name: is required`,
      `  ${bad}:4: price: must be an amount with at most 2 decimals, e.g. 1499.00 (got "twelve")`,
      `  ${bad}:4: stock: must be a whole number from 0 to 1000000000 (got "-2")`,
    ]);
    const good = file("desk.csv", "sku,name,price,currency,stock\nDESK,Oak desk,1199.00,EUR,5\n");
    expect(await json(["catalogue", "import", good, "--dry-run"])).toMatchObject({
      created: ["DESK"],
    });
  });

  it("says what to do about a wrong stage, a missing outputs file, mixed targets and no credentials", async () => {
    const other = await cliAsync(["orders", "list", "--stage", "prod"], env, app);
    const elsewhere = await cliAsync(["orders", "list", "--stage", STAGE], env, tmpdir());
    const mixed = await stage(["orders", "list", "--data-dir", ".countersign"]);
    const demo = await stage(["orders", "place", "--demo"]);
    const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, ...noKeys } = env;
    const anonymous = await cliAsync(
      ["orders", "list", "--stage", STAGE],
      {
        ...noKeys,
        AWS_PROFILE: "",
        AWS_SHARED_CREDENTIALS_FILE: join(app, "none"),
        AWS_CONFIG_FILE: join(app, "none"),
      },
      app,
    );

    for (const r of [other, elsewhere, mixed, demo, anonymous]) {
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(other.stderr).toMatch(
      /outputs\.json holds the outputs of stage loopback, not prod: run `npx sst deploy --stage prod`/,
    );
    expect(elsewhere.stderr).toMatch(
      /No outputs for stage loopback: .*\.sst\/outputs\.json does not exist/,
    );
    expect(mixed.stderr).toMatch(
      /--stage works on a deployed stage, --data-dir on the local platform/,
    );
    expect(demo.stderr).toMatch(/--demo places the local demo order/);
    expect(anonymous.stderr).toMatch(
      /No AWS credentials for stage loopback \(us-east-1\): sign in/,
    );
  });
});
