/**
 * The carrier behind ShipOrder, as an interface, and the default simulator. The simulator ships to
 * a fixed list of countries; any other destination (Antarctica, `AQ`, is the documented example)
 * is refused with `ShippingUnavailable` — after the payment, so the saga's refund path runs.
 * It is stateless and deterministic: the tracking number is derived from the shipment key, which
 * makes a repeated hand-off answer with the same parcel.
 */
import { createHash } from "node:crypto";
import { ShippingUnavailable } from "./errors.ts";

export interface ShipmentRequest {
  /** Idempotency key: one parcel per key. */
  key: string;
  country: string;
  items: { sku: string; quantity: number }[];
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
}

export interface Carrier {
  /** Books the parcel; throws `ShippingUnavailable` when it cannot. */
  createShipment(request: ShipmentRequest): Promise<Shipment>;
  /** Cancels a booked parcel before it leaves (compensation); repeating is harmless. */
  cancelShipment(key: string): Promise<void>;
}

/** Countries the simulated carrier serves. */
export const SUPPORTED_COUNTRIES: ReadonlySet<string> = new Set([
  "AT",
  "BE",
  "CA",
  "CH",
  "CZ",
  "DE",
  "DK",
  "ES",
  "FI",
  "FR",
  "GB",
  "IE",
  "IT",
  "LU",
  "NL",
  "NO",
  "PL",
  "PT",
  "SE",
  "US",
]);

export class SimulatedCarrier implements Carrier {
  async createShipment(request: ShipmentRequest): Promise<Shipment> {
    if (!SUPPORTED_COUNTRIES.has(request.country)) {
      throw new ShippingUnavailable(`The carrier does not ship to ${request.country}`);
    }
    const hash = createHash("sha256").update(request.key).digest("hex").slice(0, 12).toUpperCase();
    return { carrier: "SIMPOST", trackingNumber: `SP${hash}` };
  }

  async cancelShipment(_key: string): Promise<void> {}
}
