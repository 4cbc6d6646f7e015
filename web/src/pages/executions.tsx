/** All executions, filtered by status and searched by order id; refreshes every two seconds. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import type { ExecutionStatus } from "../api/types.ts";
import { Empty, ErrorNotice, Loading } from "../components/notice.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { TimeAgo } from "../components/time-ago.tsx";
import { formatDuration } from "../format.ts";
import { useNow } from "../hooks/use-now.ts";
import { usePoll } from "../hooks/use-poll.ts";
import { href, replaceRoute } from "../router.ts";

const STATUSES: Array<[ExecutionStatus | "", string]> = [
  ["", "All statuses"],
  ["RUNNING", "Running"],
  ["SUCCEEDED", "Succeeded"],
  ["FAILED", "Failed"],
  ["TIMED_OUT", "Timed out"],
  ["ABORTED", "Aborted"],
];

export function ExecutionsPage(props: { status: string; q: string }) {
  const status = props.status as ExecutionStatus | "";
  const [search, setSearch] = useState(props.q);
  const now = useNow(5000);
  const polled = usePoll(() => api.executions({ status, q: props.q }), [status, props.q]);

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    if (search === props.q) return;
    const timer = setTimeout(
      () => replaceRoute({ page: "executions", status, q: search.trim() }),
      300,
    );
    return () => clearTimeout(timer);
  }, [search, props.q, status]);

  const items = polled.data ?? [];
  return (
    <>
      <header class="page-header">
        <h1>Executions</h1>
        <p class="muted">Every order saga run, newest first.</p>
      </header>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="exec-status">Status</label>
          <select
            id="exec-status"
            value={status}
            onChange={(e) =>
              replaceRoute({
                page: "executions",
                status: (e.currentTarget as HTMLSelectElement).value,
                q: search.trim(),
              })
            }
          >
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-grow">
          <label for="exec-search">Order id</label>
          <input
            id="exec-search"
            type="search"
            value={search}
            placeholder="Search by order id"
            onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </form>
      {polled.error !== undefined && (
        <ErrorNotice error={polled.error} title="Could not load executions" />
      )}
      {polled.loading && !polled.data ? (
        <Loading label="Loading executions…" />
      ) : items.length === 0 ? (
        <Empty title="No executions match">
          {props.q || status
            ? "Try another status or order id."
            : "Start an order to see its saga here."}
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Executions</caption>
            <thead>
              <tr>
                <th scope="col">Execution</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {[...items]
                .sort((a, b) => b.startDate.localeCompare(a.startDate))
                .map((e) => (
                  <tr key={e.executionArn} data-execution={e.name}>
                    <td data-label="Execution">
                      <a href={href({ page: "execution", arn: e.executionArn })}>{e.name}</a>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={e.status} />
                    </td>
                    <td data-label="Started">
                      <TimeAgo iso={e.startDate} now={now} />
                    </td>
                    <td data-label="Duration">
                      {formatDuration(
                        (e.stopDate ? Date.parse(e.stopDate) : now) - Date.parse(e.startDate),
                      )}
                      {!e.stopDate && <span class="muted"> so far</span>}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
