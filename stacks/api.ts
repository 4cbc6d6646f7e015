/**
 * The approval API's function URL served under the dashboard's origin: the topology's route
 * prefixes go to it on the router, so the session cookie and CSRF token stay same-origin.
 */
import { API_ROUTES } from "./topology.ts";

/** Routes the API's prefixes on `router` to `api`'s function URL. */
export function apiRoutes(args: { api: sst.aws.Function; router: sst.aws.Router }) {
  for (const prefix of API_ROUTES.prefixes) args.router.route(prefix, args.api.url);
}
