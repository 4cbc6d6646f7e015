/**
 * One CloudFront origin for the dashboard and the API: a Router whose default route is the
 * static site built from `web/`, with the API's prefixes routed to its function URL (api.ts).
 */

/** The shared router; its URL is the public base URL of the app. */
export function router() {
  return new sst.aws.Router("Web");
}

/**
 * The dashboard, built with `npm run build:web`, served at the router's root. Under `sst dev` it
 * is not deployed: SST runs Vite on http://localhost:5173 instead, proxying the API's prefixes to
 * the stage's router (web/vite.config.ts reads COUNTERSIGN_API).
 */
export function dashboard(args: { router: sst.aws.Router; apiUrl: $util.Input<string> }) {
  return new sst.aws.StaticSite("Dashboard", {
    path: "web",
    build: { command: "npm run build:web", output: "dist" },
    environment: { VITE_API_URL: args.apiUrl, COUNTERSIGN_API: args.apiUrl },
    router: { instance: args.router },
    dev: {
      command: "npx vite --config vite.config.ts --host localhost --port 5173 --strictPort",
      url: "http://localhost:5173",
    },
  });
}
