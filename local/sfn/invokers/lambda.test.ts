import { describe, expect, it } from "vitest";
import { TaskInvocationError } from "../errors.ts";
import { LambdaFunctions } from "./lambda.ts";

class PaymentDeclined extends Error {
  override name = "PaymentDeclined";
}

describe("LambdaFunctions", () => {
  it("invokes a handler by name or ARN with a fresh Lambda context", async () => {
    const seen: unknown[] = [];
    const fns = new LambdaFunctions("us-east-1", "123456789012", {
      charge: async (event, context) => {
        seen.push(context.awsRequestId);
        return {
          got: event,
          fn: context.functionName,
          left: context.getRemainingTimeInMillis() > 0,
        };
      },
    });

    const byName = await fns.invoke("charge", { a: 1 });
    const byArn = await fns.invoke(
      "arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST",
      {},
    );

    expect(byName).toEqual({ got: { a: 1 }, fn: "charge", left: true });
    expect(byArn).toMatchObject({ fn: "charge" });
    expect(seen[0]).not.toBe(seen[1]);
  });

  it("turns a thrown error into AWS's Error/Cause shape", async () => {
    const fns = new LambdaFunctions("us-east-1", "123456789012", {
      charge: async () => {
        throw new PaymentDeclined("card declined");
      },
    });

    const error = await fns.invoke("charge", {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskInvocationError);
    const { error: name, errorCause } = error as TaskInvocationError;
    expect(name).toBe("PaymentDeclined");
    expect(JSON.parse(errorCause)).toMatchObject({
      errorType: "PaymentDeclined",
      errorMessage: "card declined",
      trace: expect.any(Array),
    });
  });

  it("reports a handler that outlives its timeout as Sandbox.Timedout", async () => {
    const fns = new LambdaFunctions("us-east-1", "123456789012", {
      slow: { handler: () => new Promise(() => {}), timeoutSeconds: 0.01 },
    });

    const error = (await fns.invoke("slow", {}).catch((e: unknown) => e)) as TaskInvocationError;

    expect(error.error).toBe("Sandbox.Timedout");
    expect(JSON.parse(error.errorCause).errorMessage).toContain(
      "Task timed out after 0.01 seconds",
    );
  });

  it("supports callback-style handlers and unknown functions fail like Lambda", async () => {
    const fns = new LambdaFunctions("us-east-1", "123456789012", {
      cb: (_event, _context, callback) => callback?.(null, { ok: true }),
    });

    expect(await fns.invoke("cb", {})).toEqual({ ok: true });
    const missing = (await fns.invoke("nope", {}).catch((e: unknown) => e)) as TaskInvocationError;
    expect(missing.error).toBe("Lambda.ResourceNotFoundException");
  });
});
