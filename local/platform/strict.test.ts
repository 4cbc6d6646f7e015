/**
 * Local runs fail where AWS would: a function sees only its own links and environment, and an SDK
 * call its policy in the topology does not allow fails with AccessDeniedException naming the
 * action and the resource — before anything is sent (no emulator is running here).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionPolicy } from "../../stacks/lib/policies.ts";
import { TOPOLOGY, type Topology } from "../../stacks/topology.ts";
import type { FunctionConfig } from "../sfn/index.ts";
import { demoOrder } from "./demo.ts";
import { functionScope, type LocalWiring, loadFunctions, localArns } from "./functions.ts";
import { PolicyAuthorizer } from "./iam/authorizer.ts";
import { runAs } from "./scope.ts";

const TABLE = "strict-test";
const saved = { ...process.env };
beforeAll(() => {
  // Shared by every function; nothing listens there: a call that is sent fails to connect.
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
  });
});
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
});

const wiring = (topology: Topology): LocalWiring => ({
  topology,
  links: {
    Table: { name: TABLE },
    Email: { sender: "orders@countersign.local" },
    Settings: { approvalThreshold: 1000, approvalTimeoutSeconds: 3600, approvers: [] },
  },
  arns: localArns({ table: TABLE, sender: "orders@countersign.local" }),
});

/** The topology with one function changed. */
function altered(fn: "ValidateOrder", change: Partial<Topology["functions"]["ValidateOrder"]>) {
  return {
    ...TOPOLOGY,
    functions: { ...TOPOLOGY.functions, [fn]: { ...TOPOLOGY.functions[fn], ...change } },
  };
}

const unexpected = (): never => {
  throw new Error("the handler succeeded");
};

async function validate(topology: Topology) {
  const fns = await loadFunctions(wiring(topology), ["ValidateOrder"]);
  const order = demoOrder("ord-strict-1");
  return (fns.ValidateOrder as FunctionConfig).handler(
    { order, executionName: order.orderId },
    {} as never,
  );
}

describe("a function's policy", () => {
  it("without its table statement, fails the first SDK call with AccessDeniedException", async () => {
    const error = await validate(altered("ValidateOrder", { statements: [] })).then(
      unexpected,
      (e: unknown) => e as Error & { cause?: unknown },
    );
    expect(error.name).toBe("AccessDeniedException");
    expect(error.message).toMatch(
      /assumed-role\/countersign-local-ValidateOrder-role\/ValidateOrder is not authorized to perform: dynamodb:\w+ on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/strict-test/,
    );
  });

  it("with its statement, lets the call through to the service", async () => {
    const error = await validate(TOPOLOGY).then(
      unexpected,
      (e: unknown) => e as Error & { cause?: unknown },
    );
    expect(error.name).not.toBe("AccessDeniedException");
    expect(String(error.message ?? error)).toMatch(/ECONNREFUSED|connect|socket/i);
  });
});

describe("a function's links", () => {
  it("without Settings, fail the handler with an error naming the link", async () => {
    const links = TOPOLOGY.functions.ValidateOrder.links.filter((l) => l !== "Settings");
    const error = await validate(altered("ValidateOrder", { links })).then(
      unexpected,
      (e: unknown) => e as Error & { cause?: unknown },
    );
    expect(error.name).toBe("ResourceNotLinkedError");
    expect(error.message).toMatch(/Resource "Settings" is not linked/);
    expect(String(error.cause)).toMatch(
      /"Settings" is not linked in your sst.config.ts to ValidateOrder/,
    );
  });

  it("are all a function sees, in Resource and in its environment", async () => {
    const { resource } = await import("../../functions/shared/resources.ts");
    const ship = functionScope("ShipOrder", wiring(TOPOLOGY));
    runAs(ship, () => {
      expect(resource("Table").name).toBe(TABLE);
      expect(() => resource("Settings")).toThrow(/Settings/);
      expect(process.env.SST_RESOURCE_Table).toBe(JSON.stringify({ name: TABLE }));
      expect(process.env.SST_RESOURCE_Settings).toBeUndefined();
      expect("SST_RESOURCE_Email" in process.env).toBe(false);
      expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBe("ShipOrder");
      expect(
        Object.keys(process.env)
          .filter((k) => k.startsWith("SST_RESOURCE_"))
          .sort(),
      ).toEqual(["SST_RESOURCE_App", "SST_RESOURCE_Table"]);
    });
    const approve = functionScope("RequestApproval", wiring(TOPOLOGY));
    runAs(approve, () => expect(resource("Settings").approvalThreshold).toBe(1000));
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
  });
});

describe("the policy simulator", () => {
  const arns = localArns({ table: TABLE, sender: "orders@countersign.local" });
  const api = new PolicyAuthorizer(
    "arn:aws:sts::000000000000:assumed-role/api/Api",
    functionPolicy(TOPOLOGY.functions.Api, arns),
    "000000000000",
  );

  it("allows what the statements name and nothing else", async () => {
    await expect(
      api.authorize({ action: "dynamodb:Query", resource: `${arns.table}/index/gsi1` }),
    ).resolves.toBeUndefined();
    await expect(api.authorize({ action: "dynamodb:Scan", resource: arns.table })).rejects.toThrow(
      /dynamodb:Scan/,
    );
    await expect(
      api.authorize({ action: "dynamodb:GetItem", resource: arns.table.replace(TABLE, "other") }),
    ).rejects.toThrow(/table\/other/);
    await expect(
      api.authorize({ action: "states:SendTaskSuccess", resource: arns.orderSaga as string }),
    ).resolves.toBeUndefined();
    await expect(
      api.authorize({
        action: "states:SendTaskSuccess",
        resource: (arns.orderSaga as string).replace("OrderSaga", "Other"),
      }),
    ).rejects.toThrow(/AccessDenied|not authorized/);
    await expect(
      api.authorize({
        action: "ses:SendEmail",
        resource: "arn:aws:ses:us-east-1:000000000000:identity/x@y.z",
      }),
    ).resolves.toBeUndefined();
  });
});
