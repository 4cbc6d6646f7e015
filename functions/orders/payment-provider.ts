/**
 * The payment provider behind ChargePayment and RefundPayment, as an interface, and the default
 * simulator with test payment methods so every path of the saga can be shown. Orders never carry
 * a card number: a shop's checkout hands the card to the provider and gets back a payment-method
 * token, and that token is all Countersign sees (Stripe's test tokens `pm_card_visa`,
 * `pm_card_chargeDeclined` are the model: https://docs.stripe.com/testing#cards).
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
  /** The provider's payment-method token (`pm_…`), never a card number. */
  paymentMethod: string;
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

/** The simulator's test payment methods. */
export const TEST_PAYMENT_METHODS = {
  succeeds: "pm_card_visa",
  declined: "pm_card_chargeDeclined",
  /** Fails transiently `transientFailures` times (default 2) per key, then succeeds. */
  flaky: "pm_card_temporarilyUnavailable",
  /** Always fails transiently: retries run out and the saga compensates. */
  unavailable: "pm_card_providerUnavailable",
  /** Charges, but every answer is lost on the way back (a network timeout after the provider
   * processed it): retries run out, and the refund must find the charge by its key. */
  lostResponse: "pm_card_responseLost",
} as const;

/** Further tokens the simulator charges successfully, as a provider knows several card brands. */
const ALSO_SUCCEED: ReadonlySet<string> = new Set(["pm_card_mastercard", "pm_card_amex"]);
const KNOWN: ReadonlySet<string> = new Set([
  ...Object.values(TEST_PAYMENT_METHODS),
  ...ALSO_SUCCEED,
]);

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
    const method = request.paymentMethod;
    if (state.status === "SUCCEEDED" && method !== TEST_PAYMENT_METHODS.lostResponse) {
      return toCharge(state);
    }
    // A provider answers an unknown token with "no such payment method": final, like a decline.
    if (!KNOWN.has(method)) {
      throw new PaymentDeclined(`No such payment method ${method} at the payment provider`);
    }
    if (method === TEST_PAYMENT_METHODS.declined) {
      throw new PaymentDeclined(`Payment method ${method} was declined (card_declined)`);
    }
    if (
      method === TEST_PAYMENT_METHODS.unavailable ||
      (method === TEST_PAYMENT_METHODS.flaky && state.attempts <= this.transientFailures)
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
    if (method === TEST_PAYMENT_METHODS.lostResponse) {
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
