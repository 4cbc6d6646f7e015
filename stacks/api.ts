/**
 * The approval API: the Hono app on a Lambda function URL, served under the dashboard's origin
 * (`/api`, `/auth`, `/approvals` on the router) so the session cookie and CSRF token stay
 * same-origin. It answers the saga's callback tasks and reads its executions.
 */
import { FUNCTION_DEFAULTS, type Links } from "./functions.ts";
import { linksFor, SAGA_GRANTS } from "./lib/links.ts";
import { handlerFor, OTHER_FUNCTIONS } from "./lib/naming.ts";
import { API_ROUTE_PREFIXES } from "./lib/routes.ts";

/** Creates the API function and routes its prefixes through `router`. */
export function api(args: {
  links: Links;
  stateMachineArn: $util.Input<string>;
  router: sst.aws.Router;
}) {
  const fn = new sst.aws.Function("Api", {
    ...FUNCTION_DEFAULTS,
    handler: handlerFor(OTHER_FUNCTIONS.Api),
    link: linksFor("Api", args.links),
    url: true,
    permissions: $output(args.stateMachineArn).apply((arn) =>
      SAGA_GRANTS.Api!(arn).map((s) => ({ actions: s.Action, resources: s.Resource })),
    ),
  });
  for (const prefix of API_ROUTE_PREFIXES) args.router.route(prefix, fn.url);
  return fn;
}
