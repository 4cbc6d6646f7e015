/**
 * The Countersign approval API as a Hono app, with every dependency injected. It knows nothing of
 * Lambda or Node: `lambda.ts` and `node.ts` adapt it. Routes (README.md):
 *
 * - `GET|HEAD /approvals/:id?sig=…` confirm page; `POST /approvals/:id` decides (form + CSRF)
 * - `POST /api/auth/magic-link`, `GET|POST /auth/magic`, `GET /api/session`, `POST /api/auth/sign-out`
 * - `GET /api/config`, `GET /api/approvals`, `POST /api/approvals/:id/decision`
 * - `GET /api/executions`, `GET /api/executions/:arn`, `GET /api/executions/:arn/history`,
 *   `POST /api/executions/:arn/redrive`
 * - `GET /api/orders`, `GET /api/outbox` (local only)
 *
 * The JSON routes are registered in one chain so that `ApiApp` (the app's type) carries every
 * route's input and output: the dashboard's client is `hc<ApiApp>` (web/src/api/client.ts), so a
 * change here fails the dashboard's type-check.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  ApprovalService,
  jsonLog,
  type Log,
  NotFoundError,
  SessionService,
} from "../approvals/index.ts";
import type { ApiDeps } from "./deps.ts";
import { isApiPath, onError, problemResponse, toProblem } from "./middleware/errors.ts";
import { noCardNumbers } from "./middleware/no-card-numbers.ts";
import { wellFormedPaths } from "./middleware/paths.ts";
import { security } from "./middleware/security.ts";
import { requireOperator, requireSession, type SessionEnv } from "./middleware/session.ts";
import { messagePage } from "./pages/layout.ts";
import { approvalLinkRoutes } from "./routes/approval-links.ts";
import { approvalsApiRoutes } from "./routes/approvals-api.ts";
import { authRoutes } from "./routes/auth.ts";
import { executionRoutes } from "./routes/executions.ts";
import { orderRoutes } from "./routes/orders.ts";

/** The app's type: every JSON route with its input and output, for `hc<ApiApp>` in the dashboard. */
export type ApiApp = ReturnType<typeof buildApp>;

/** The app and the services behind it (tests and the local server reuse the services). */
export interface CountersignApi {
  app: ApiApp;
  approvals: ApprovalService;
  sessions: SessionService;
}

/** Builds the API. */
export function createApi(deps: ApiDeps): CountersignApi {
  const log = deps.log ?? jsonLog;
  const approvals = new ApprovalService({ ...deps, log });
  const sessions = new SessionService(deps, approvals);
  return { app: buildApp(deps, approvals, sessions, log), approvals, sessions };
}

/** The Hono app alone. */
export function createApp(deps: ApiDeps): ApiApp {
  return createApi(deps).app;
}

function buildApp(deps: ApiDeps, approvals: ApprovalService, sessions: SessionService, log: Log) {
  const baseFromRequest = (url: string) => approvals.baseUrl(new URL(url).origin);
  const app = new Hono<SessionEnv>();
  app.use("*", ...security());
  app.use("*", wellFormedPaths());
  app.use("*", bodyLimit({ maxSize: 64 * 1024 }));
  app.use("*", noCardNumbers());
  app.onError(onError(log));
  app.notFound((c) => {
    const err = new NotFoundError(`No route for ${c.req.method} ${c.req.path}.`);
    if (isApiPath(c.req.path)) return problemResponse(c, toProblem(err));
    return c.html(messagePage("Page not found", err.message), 404);
  });

  // Orders and executions carry customers' names and the shop's business: operators only.
  const operators = [requireSession(sessions), requireOperator(sessions)] as const;
  return app
    .get("/api/config", (c) => c.json({ local: deps.local }))
    .get("/api/outbox", async (c) => {
      if (!deps.local || !deps.outbox)
        throw new NotFoundError("The outbox exists only in local mode.");
      return c.json({ items: await deps.outbox() });
    })
    .route("/", approvalLinkRoutes(approvals, baseFromRequest))
    .route("/", authRoutes(approvals, sessions, baseFromRequest))
    .route("/", approvalsApiRoutes(approvals, sessions))
    .use("/api/executions", ...operators)
    .use("/api/executions/*", ...operators)
    .use("/api/orders", ...operators)
    .route("/", executionRoutes(deps.sfn, deps.stateMachineArn, sessions))
    .route("/", orderRoutes(deps.db, deps.table));
}
