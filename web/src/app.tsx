/** The dashboard shell: session, navigation, and the page for the current route. */
import { useEffect, useRef, useState } from "preact/hooks";
import { api, getSession, UNAUTHORIZED_EVENT } from "./api/client.ts";
import type { Session } from "./api/types.ts";
import { ErrorNotice, Loading } from "./components/notice.tsx";
import { ExecutionDetailPage } from "./pages/execution-detail.tsx";
import { ExecutionsPage } from "./pages/executions.tsx";
import { InboxPage } from "./pages/inbox.tsx";
import { OrdersPage } from "./pages/orders.tsx";
import { OutboxPage } from "./pages/outbox.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { type Route, useRoute } from "./router.ts";

const TITLES: Record<Route["page"], string> = {
  inbox: "Inbox",
  "sign-in": "Sign in",
  executions: "Executions",
  execution: "Execution",
  orders: "Orders",
  outbox: "Outbox",
  "not-found": "Not found",
};

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | undefined | null>(null);
  const [local, setLocal] = useState(false);
  const [bootError, setBootError] = useState<unknown>(undefined);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    Promise.all([getSession(), api.config().catch(() => ({ local: false }))])
      .then(([s, config]) => {
        setSession(s);
        setLocal(config.local);
      })
      .catch(setBootError);
    const signedOut = () => setSession(undefined);
    addEventListener(UNAUTHORIZED_EVENT, signedOut);
    return () => removeEventListener(UNAUTHORIZED_EVENT, signedOut);
  }, []);

  // Move focus to the new page for keyboard and screen-reader users; title names the page.
  useEffect(() => {
    document.title = `${TITLES[route.page]} · Countersign`;
    main.current?.focus({ preventScroll: true });
  }, [route.page]);

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setSession(undefined);
    location.hash = "#/sign-in";
  };

  const signedIn = Boolean(session);
  const page = () => {
    if (bootError !== undefined)
      return <ErrorNotice error={bootError} title="Could not reach Countersign" />;
    if (session === null) return <Loading />;
    if (route.page === "outbox" && local) return <OutboxPage />;
    if (!session) return <SignInPage local={local} />;
    switch (route.page) {
      case "inbox":
      case "sign-in":
        return <InboxPage />;
      case "executions":
        return <ExecutionsPage key={`${route.status}`} status={route.status} q={route.q} />;
      case "execution":
        return <ExecutionDetailPage key={route.arn} arn={route.arn} />;
      case "orders":
        return <OrdersPage />;
      case "outbox":
        return <p>The outbox exists only when Countersign runs locally.</p>;
      default:
        return (
          <>
            <h1>Page not found</h1>
            <p>
              <a href="#/inbox">Go to the inbox</a>
            </p>
          </>
        );
    }
  };

  const current =
    route.page === "execution" ? "executions" : route.page === "sign-in" ? "inbox" : route.page;
  const links: Array<[string, string, boolean]> = [
    ["inbox", "Inbox", signedIn],
    ["executions", "Executions", signedIn],
    ["orders", "Orders", signedIn],
    ["outbox", "Outbox", local],
  ];

  return (
    <>
      <button type="button" class="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="#/inbox">
            <span class="brand-mark" aria-hidden="true">
              ✓✓
            </span>
            Countersign
            {local && <span class="env">local</span>}
          </a>
          <nav aria-label="Main" class="nav">
            {links
              .filter(([, , show]) => show)
              .map(([page, label]) => (
                <a
                  key={page}
                  href={`#/${page}`}
                  aria-current={current === page ? "page" : undefined}
                >
                  {label}
                </a>
              ))}
          </nav>
          <div class="account">
            {session ? (
              <>
                <span class="account-email" title={session.email}>
                  {session.email}
                </span>
                <button type="button" class="button button-quiet button-small" onClick={signOut}>
                  Sign out
                </button>
              </>
            ) : session === undefined ? (
              <a href="#/sign-in">Sign in</a>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} class="main">
        {page()}
      </main>
    </>
  );
}
