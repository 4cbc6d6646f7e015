/**
 * `--handlers` of the order saga's fuzz example: every function the saga invokes, loaded from the
 * topology and run as its function (its links, its IAM policy), on DynamoDB Local and the SES
 * outbox (environment.ts). Usage (README, "Saga safety"):
 *
 *   countersign asl fuzz stacks/order-saga.asl.json --handlers test/saga/fuzz/handlers.ts \
 *     --invariants test/saga/fuzz/invariants.ts --runs 1000
 */
import "../quiet-logs.ts";
import { ensureEnvironment } from "./environment.ts";

await ensureEnvironment();
// After the environment: the wiring reads the table and sender from it.
const { sagaFunctions } = await import("../platform-wiring.ts");

export default await sagaFunctions();
