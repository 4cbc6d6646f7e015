/**
 * The signed-in approver's delegation: while it lasts, requests to them go to their delegate, who
 * decides on their behalf ("B for A"); they are told each time.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { formatDateTime } from "../format.ts";
import { usePoll } from "../hooks/use-poll.ts";
import { ErrorNotice } from "./notice.tsx";

export function DelegationPanel() {
  const polled = usePoll(() => api.delegation(), []);
  const [to, setTo] = useState("");
  const [until, setUntil] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const current = polled.data;
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.setDelegation(to.trim(), new Date(`${until}T23:59:59`).toISOString());
      await polled.refresh();
    } catch (failure) {
      setError(failure);
    }
  };
  const clear = async () => {
    setError(undefined);
    try {
      await api.clearDelegation();
      await polled.refresh();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section class="card delegation" aria-labelledby="delegation-title">
      <h2 id="delegation-title">Delegation</h2>
      {current ? (
        <p>
          Requests to you go to <strong>{current.to}</strong> until {formatDateTime(current.endsAt)}
          .{" "}
          <button type="button" class="button" onClick={clear}>
            End delegation
          </button>
        </p>
      ) : (
        <form onSubmit={save}>
          <p class="muted">Away? Name someone to decide your requests for you until a date.</p>
          <label>
            Delegate{" "}
            <input type="email" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
          </label>
          <label>
            Until{" "}
            <input
              type="date"
              required
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="button">
            Delegate
          </button>
        </form>
      )}
      {error !== undefined && <ErrorNotice error={error} title="Could not change the delegation" />}
    </section>
  );
}
