/** Sign in by magic link: ask for an email, then say where the link went. */
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { ErrorNotice } from "../components/notice.tsx";

export function SignInPage(props: { local: boolean }) {
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.requestMagicLink(email.trim());
      setSentTo(email.trim());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="auth-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Countersign</h1>
      {sentTo ? (
        <div class="sent" role="status">
          <h2>Check your email</h2>
          <p>
            We sent a sign-in link to <strong>{sentTo}</strong>. Open it on this device to continue;
            it works once and expires soon.
          </p>
          {props.local && (
            <p class="hint">
              Running locally: emails are not delivered, they land in the{" "}
              <a href="#/outbox">Outbox</a>.
            </p>
          )}
          <button type="button" class="button button-quiet" onClick={() => setSentTo(undefined)}>
            Use a different email
          </button>
        </div>
      ) : (
        <form onSubmit={submit} class="stack">
          <p class="muted">Approvers sign in with a link sent by email — no password.</p>
          <label for="sign-in-email">Email address</label>
          <input
            id="sign-in-email"
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            required
            value={email}
            onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
            placeholder="you@example.com"
          />
          {error !== undefined && <ErrorNotice error={error} title="Could not send the link" />}
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? "Sending…" : "Email me a sign-in link"}
          </button>
          {props.local && (
            <p class="hint">
              Local mode: the link appears in the <a href="#/outbox">Outbox</a>.
            </p>
          )}
        </form>
      )}
    </section>
  );
}
