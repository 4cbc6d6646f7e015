/**
 * The path prefixes the approval API owns on the origin it shares with the dashboard: the router
 * sends these to the API's function URL, everything else to the site.
 */
export const API_ROUTE_PREFIXES = ["/api", "/auth", "/approvals"] as const;

/** Whether a request path is served by the API rather than the static dashboard. */
export function isApiPath(path: string): boolean {
  return API_ROUTE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}
