/**
 * The order saga's public surface for the rest of Countersign (local platform, API, stacks).
 * See README.md in this folder.
 */
export { DEMO_CATALOGUE, seedDemoCatalogue } from "./catalogue.ts";
export { defaultDeps, type OrderDeps } from "./deps.ts";
export * as errors from "./errors.ts";
export { sagaHandlers } from "./handlers.ts";
export { getStock, putStock } from "./inventory.ts";
export type { OrderInput, OrderItem, OrderStatus, OrderSummary, StockItem } from "./model.ts";
export { findOrder, listOrders } from "./orders.ts";
export { TEST_CARDS } from "./payment-provider.ts";
export {
  fillPlaceholders,
  loadSagaDefinition,
  localFunctionArn,
  PlaceholderError,
  SAGA_DEFINITION_PATH,
  SAGA_FUNCTIONS,
  sagaPlaceholderValues,
} from "./saga-definition.ts";
export { startOrder } from "./start-order.ts";
