/**
 * The approval API's JSON shapes, read from the server's own types: `ApiApp` is the Hono app's type
 * (functions/api/app.ts) and `hc<ApiApp>` turns it into a typed client, so nothing here is copied
 * by hand. A change to a route's input or output on the server fails the dashboard's type-check
 * (`npm run typecheck`; src/api/contract.check.ts shows how).
 */
import type { hc, InferRequestType, InferResponseType } from "hono/client";
import type { ApiApp } from "../../../functions/api/app.ts";

/** The typed client of the whole API (a type only; client.ts makes the one instance). */
export type ApiClient = ReturnType<typeof hc<ApiApp>>;
type Api = ApiClient["api"];
type ExecutionRoute = Api["executions"][":executionArn"];

export type Session = InferResponseType<Api["session"]["$get"], 200>;
export type Config = InferResponseType<Api["config"]["$get"], 200>;
export type Approval = InferResponseType<Api["approvals"]["$get"], 200>["items"][number];
export type ApprovalStatus = Approval["status"];
export type SummaryField = Approval["summary"][number];
export type FormField = NonNullable<Approval["decisionForm"]>[number];
export type Timeline = InferResponseType<Api["approvals"][":id"]["timeline"]["$get"], 200>;
export type TimelineEntry = Timeline["entries"][number];
export type Delegation = NonNullable<
  InferResponseType<Api["delegation"]["$get"], 200>["delegation"]
>;
export type ApprovalFilter = NonNullable<
  InferRequestType<Api["approvals"]["$get"]>["query"]["status"]
>;
export type Decision = InferRequestType<Api["approvals"][":id"]["decision"]["$post"]>["json"];
export type ExecutionSummary = InferResponseType<Api["executions"]["$get"], 200>["items"][number];
export type ExecutionStatus = NonNullable<
  InferRequestType<Api["executions"]["$get"]>["query"]["status"]
>;
export type ExecutionDetail = InferResponseType<ExecutionRoute["$get"], 200>;
export type HistoryEvent = InferResponseType<
  ExecutionRoute["history"]["$get"],
  200
>["events"][number];
export type Order = InferResponseType<Api["orders"]["$get"], 200>["items"][number];
export type Mail = InferResponseType<Api["outbox"]["$get"], 200>["items"][number];
