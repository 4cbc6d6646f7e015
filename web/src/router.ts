/**
 * Hash routes (`#/executions/<arn>`), so the dashboard works from any static host without
 * server-side fallbacks. Parsing is pure; `useRoute` subscribes to hashchange.
 */
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "inbox" }
  | { page: "sign-in" }
  | { page: "executions"; status: string; q: string }
  | { page: "execution"; arn: string }
  | { page: "orders" }
  | { page: "outbox" }
  | { page: "not-found"; path: string };

/** Reads a location hash such as `#/executions?status=RUNNING&q=o-1`. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const [pathPart = "/", queryPart = ""] = raw.split("?", 2);
  const query = new URLSearchParams(queryPart);
  const segments = pathPart.split("/").filter(Boolean);
  const [first, second] = segments;
  if (!first || first === "inbox") return { page: "inbox" };
  if (first === "sign-in") return { page: "sign-in" };
  if (first === "orders") return { page: "orders" };
  if (first === "outbox") return { page: "outbox" };
  if (first === "executions" && second)
    return { page: "execution", arn: decodeURIComponent(second) };
  if (first === "executions")
    return { page: "executions", status: query.get("status") ?? "", q: query.get("q") ?? "" };
  return { page: "not-found", path: pathPart };
}

/** The hash for a route; the inverse of `parseRoute`. */
export function href(route: Route): string {
  switch (route.page) {
    case "inbox":
      return "#/inbox";
    case "execution":
      return `#/executions/${encodeURIComponent(route.arn)}`;
    case "executions": {
      const query = new URLSearchParams();
      if (route.status) query.set("status", route.status);
      if (route.q) query.set("q", route.q);
      const text = query.toString();
      return `#/executions${text ? `?${text}` : ""}`;
    }
    case "not-found":
      return `#${route.path}`;
    default:
      return `#/${route.page}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** Replaces the current hash without a history entry (filters, search). */
export function replaceRoute(route: Route): void {
  history.replaceState(null, "", href(route));
  dispatchEvent(new HashChangeEvent("hashchange"));
}
