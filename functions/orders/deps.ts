/**
 * What the domain code needs from the outside world, injected so tests can swap the clock or the
 * providers; handlers build the default set from linked resources and shared SDK clients.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../shared/clients.ts";
import { resource } from "../shared/resources.ts";
import { type Mailer, sesMailer } from "./notifications.ts";
import { type PaymentProvider, SimulatedPaymentProvider } from "./payment-provider.ts";
import { type Carrier, SimulatedCarrier } from "./shipping-carrier.ts";

export interface OrderDeps {
  db: DynamoDBDocumentClient;
  table: string;
  now: () => Date;
  payments: PaymentProvider;
  carrier: Carrier;
  mailer: Mailer;
}

let defaults: OrderDeps | undefined;

/**
 * The production wiring: the linked table, the shared client, the wall clock, the simulators, SES.
 * The link is read on every call (cheap), so a function without it fails at once even where
 * another function of the same process built the wiring first (handlers share a process locally).
 */
export function defaultDeps(): OrderDeps {
  const table = resource("Table").name;
  if (defaults?.table !== table) {
    const db = dynamo();
    const now = () => new Date();
    defaults = {
      db,
      table,
      now,
      payments: new SimulatedPaymentProvider({ db, table, now }),
      carrier: new SimulatedCarrier(),
      mailer: sesMailer(),
    };
  }
  return defaults;
}
