/**
 * The payment provider behind ChargePayment and RefundPayment, as an interface, and the default
 * simulator with test cards (in the spirit of Stripe's) so every path of the saga can be shown.
 *
 * Like real providers, the simulator is idempotent per request key: the same key never charges
 * twice, and a lost response can be recovered by looking the charge up by key (`findCharge`),
 * which is how a refund after an ambiguous charge failure still finds the money. Its state lives in
 * the single table (`PSP#<key>` / `PSP`), so every process of the local platform sees one provider,
 * and the property tests can compare the provider's view with the saga's ledger.
 */
import { createHash } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { PaymentDeclined, PaymentProviderUnavailable } from "./errors.ts";
import type { Currency } from "./model.ts";

export interface ChargeRequest {
  /** Idempotency key: one charge per key, ever. */
  key: string;
  amountMinor: number;
  currency: Currency;
  card: string;
}

export interface Charge {
  chargeId: string;
  amountMinor: number;
  currency: Currency;
}

export interface RefundRequest {
  /** The key the charge was made with. */
  chargeKey: string;
  chargeId: string;
  amountMinor: number;
}

/** A payment provider. Implementations must be idempotent per key. */
export interface PaymentProvider {
  /** Charges once per key; throws `PaymentDeclined` (final) or `PaymentProviderUnavailable` (retry). */
  charge(request: ChargeRequest): Promise<Charge>;
  /** The charge made with this key, if any (to resolve a charge whose response was lost). */
  findCharge(key: string): Promise<Charge | undefined>;
  /** Refunds a charge in full, once; repeating returns the same refund id. */
  refund(request: RefundRequest): Promise<{ refundId: string }>;
}

/** The simulator's test cards. Any other card number is charged successfully. */
export const TEST_CARDS = {
  succeeds: "4242424242424242",
  declined: "4000000000000002",
  /** Fails transiently `transientFailures` times (default 2) per key, then succeeds. */
  flaky: "4000000000000119",
  /** Always fails transiently: retries run out and the saga compensates. */
  unavailable: "4000000000000127",
  /** Charges, but every answer is lost on the way back (a network timeout after the provider
   * processed it): retries run out, and the refund must find the charge by its key. */
  lostResponse: "4000000000000259",
} as const;

/** The simulator's record for one key, as the property tests read it. */
export interface SimulatedChargeState {
  attempts: number;
  status?: "SUCCEEDED";
  chargeId?: string;
  amountMinor?: number;
  currency?: Currency;
  refundId?: string;
  /** How many charge calls actually moved money (the simulator's own double-charge detector). */
  charges?: number;
  /** How many refund calls actually moved money (the simulator's own double-refund detector). */
  refunds?: number;
}

export class SimulatedPaymentProvider implements PaymentProvider {
  private readonly transientFailures: number;

  constructor(
    private readonly deps: { db: DynamoDBDocumentClient; table: string; now: () => Date },
    options: { transientFailures?: number } = {},
  ) {
    this.transientFailures = options.transientFailures ?? 2;
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    const { db, table, now } = this.deps;
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: pspKey(request.key),
        UpdateExpression: "ADD attempts :one",
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "ALL_NEW",
      }),
    );
    const state = Attributes as SimulatedChargeState;
    if (state.status === "SUCCEEDED" && request.card !== TEST_CARDS.lostResponse) {
      return toCharge(state);
    }
    if (request.card === TEST_CARDS.declined) {
      throw new PaymentDeclined(`Card ending ${request.card.slice(-4)} was declined`);
    }
    if (
      request.card === TEST_CARDS.unavailable ||
      (request.card === TEST_CARDS.flaky && state.attempts <= this.transientFailures)
    ) {
      throw new PaymentProviderUnavailable(
        `Payment provider unavailable (attempt ${state.attempts}); nothing was charged`,
      );
    }
    const chargeId = `ch_${digest(request.key)}`;
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: pspKey(request.key),
          UpdateExpression:
            "SET #status = :ok, chargeId = :id, amountMinor = :amount, currency = :currency, chargedAt = :at ADD charges :one",
          ConditionExpression: "attribute_not_exists(#status)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":ok": "SUCCEEDED",
            ":id": chargeId,
            ":amount": request.amountMinor,
            ":currency": request.currency,
            ":at": now().toISOString(),
            ":one": 1,
          },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      // A concurrent call with the same key won; answer with its charge, as providers do.
    }
    const charge = await this.findCharge(request.key);
    if (!charge) throw new PaymentProviderUnavailable(`Charge ${request.key} vanished`);
    if (request.card === TEST_CARDS.lostResponse) {
      throw new PaymentProviderUnavailable("Payment provider timed out (the charge went through)");
    }
    return charge;
  }

  async findCharge(key: string): Promise<Charge | undefined> {
    const state = await this.inspect(key);
    return state?.status === "SUCCEEDED" ? toCharge(state) : undefined;
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    const { db, table, now } = this.deps;
    const refundId = `re_${digest(request.chargeKey)}`;
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: pspKey(request.chargeKey),
          UpdateExpression: "SET refundId = :id, refundedAt = :at ADD refunds :one",
          ConditionExpression:
            "#status = :ok AND chargeId = :charge AND attribute_not_exists(refundId)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":id": refundId,
            ":at": now().toISOString(),
            ":one": 1,
            ":ok": "SUCCEEDED",
            ":charge": request.chargeId,
          },
        }),
      );
      return { refundId };
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    }
    const state = await this.inspect(request.chargeKey);
    if (state?.refundId) return { refundId: state.refundId };
    throw new PaymentDeclined(`No charge ${request.chargeId} to refund under ${request.chargeKey}`);
  }

  /** The raw simulator record for a key (tests and invariant checks). */
  async inspect(key: string): Promise<SimulatedChargeState | undefined> {
    const { Item } = await this.deps.db.send(
      new GetCommand({ TableName: this.deps.table, Key: pspKey(key), ConsistentRead: true }),
    );
    return Item as SimulatedChargeState | undefined;
  }
}

function pspKey(key: string) {
  return { pk: `PSP#${key}`, sk: "PSP" };
}

function toCharge(state: SimulatedChargeState): Charge {
  return {
    chargeId: state.chargeId as string,
    amountMinor: state.amountMinor as number,
    currency: state.currency as Currency,
  };
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 24);
}
