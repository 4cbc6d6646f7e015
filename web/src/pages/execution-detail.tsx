/**
 * One execution: its status, the state-machine graph coloured by progress (layout code is loaded
 * on demand), the selected state's input and output, and the event history as a timeline. A
 * failed, timed-out or aborted execution that Step Functions can redrive gets a Redrive button.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import type { HistoryEvent } from "../api/types.ts";
import { JsonBlock } from "../components/json-block.tsx";
import { ErrorNotice, Loading } from "../components/notice.tsx";
import { GraphLegend, StateGraph } from "../components/state-graph.tsx";
import { STATE_TONE, StatusBadge } from "../components/status-badge.tsx";
import { formatDateTime, formatDuration } from "../format.ts";
import type { GraphLayout } from "../graph/layout.ts";
import { deriveExecutionPath, eventDetails, STATUS_LABEL } from "../graph/state-status.ts";
import { useNow } from "../hooks/use-now.ts";
import { usePoll } from "../hooks/use-poll.ts";
import { href } from "../router.ts";

export function ExecutionDetailPage(props: { arn: string }) {
  // A finished execution no longer changes: poll while it runs, then stop.
  const [running, setRunning] = useState(true);
  const interval = running ? 2000 : 0;
  const detail = usePoll(() => api.execution(props.arn), [props.arn], interval);
  const history = usePoll(() => api.history(props.arn), [props.arn], interval);
  const status = detail.data?.execution.status;
  useEffect(() => {
    if (status && status !== "RUNNING") {
      setRunning(false);
      void history.refresh(); // the final events
    }
  }, [status]);
  const now = useNow(1000);
  const [layout, setLayout] = useState<GraphLayout | undefined>(undefined);
  const [layoutError, setLayoutError] = useState<unknown>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [fit, setFit] = useState(true);

  const definitionText = detail.data ? JSON.stringify(detail.data.definition) : undefined;
  useEffect(() => {
    if (!definitionText) return;
    let live = true;
    // dagre stays out of the first bundle: it is fetched when a graph is first shown.
    Promise.all([import("../graph/asl-graph.ts"), import("../graph/layout.ts")])
      .then(([graph, layoutModule]) => {
        if (live) setLayout(layoutModule.layoutGraph(graph.buildGraph(JSON.parse(definitionText))));
      })
      .catch((error) => live && setLayoutError(error));
    return () => {
      live = false;
    };
  }, [definitionText]);

  const events = history.data ?? [];
  const path = useMemo(() => deriveExecutionPath(events), [events]);
  const execution = detail.data?.execution;

  if (detail.error !== undefined && !execution)
    return <ErrorNotice error={detail.error} title="Could not load this execution" />;
  if (!execution) return <Loading label="Loading execution…" />;

  const started = Date.parse(execution.startDate);
  const stopped = execution.stopDate ? Date.parse(execution.stopDate) : now;
  const run = selected ? path.states.get(selected) : undefined;
  const selectedStatus = selected ? (run?.status ?? "not-reached") : undefined;

  return (
    <>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ page: "executions", status: "", q: "" })}>← Executions</a>
      </nav>
      <header class="page-header page-header-row">
        <div>
          <h1 class="break">{execution.name}</h1>
          <p class="muted break">{execution.stateMachineArn.split(":").at(-1)}</p>
        </div>
        <div class="actions">
          {execution.redriveStatus === "REDRIVABLE" && (
            <RedriveButton
              arn={execution.executionArn}
              onRedriven={async () => {
                setRunning(true);
                await Promise.all([detail.refresh(), history.refresh()]);
              }}
            />
          )}
          <StatusBadge status={execution.status} />
        </div>
      </header>
      <dl class="facts">
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(execution.startDate)}</dd>
        </div>
        <div>
          <dt>{execution.stopDate ? "Ended" : "Running for"}</dt>
          <dd>
            {execution.stopDate
              ? formatDateTime(execution.stopDate)
              : formatDuration(stopped - started)}
          </dd>
        </div>
        {execution.stopDate && (
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(stopped - started)}</dd>
          </div>
        )}
        <div>
          <dt>Events</dt>
          <dd>{events.length}</dd>
        </div>
        {(execution.redriveCount ?? 0) > 0 && (
          <div>
            <dt>Redriven</dt>
            <dd>
              {execution.redriveCount === 1 ? "once" : `${execution.redriveCount} times`}
              {execution.redriveDate && `, last ${formatDateTime(execution.redriveDate)}`}
            </dd>
          </div>
        )}
      </dl>
      {(execution.error || execution.cause) && (
        <div class="notice notice-danger" role="note">
          <strong>{execution.error ?? "Failed"}</strong>
          {execution.cause && <p>{execution.cause}</p>}
        </div>
      )}

      <section aria-labelledby="graph-title" class="panel">
        <div class="panel-head">
          <h2 id="graph-title">Graph</h2>
          <button
            type="button"
            class="button button-quiet button-small"
            aria-pressed={!fit}
            onClick={() => setFit(!fit)}
          >
            {fit ? "Actual size" : "Fit to width"}
          </button>
        </div>
        <GraphLegend />
        <div class="graph-layout">
          <div class={`graph-scroll${fit ? "" : " is-actual"}`}>
            {layoutError !== undefined ? (
              <ErrorNotice error={layoutError} title="Could not draw this state machine" />
            ) : layout ? (
              <StateGraph
                layout={layout}
                path={path}
                selected={selected}
                onSelect={setSelected}
                fit={fit}
              />
            ) : (
              <Loading label="Drawing graph…" />
            )}
          </div>
          <aside class="state-panel" aria-live="polite" aria-label="Selected state">
            {selected && selectedStatus ? (
              <>
                <h3 class="break">{selected}</h3>
                <StatusBadge
                  status={selectedStatus}
                  tone={STATE_TONE[selectedStatus]}
                  label={STATUS_LABEL[selectedStatus]}
                />
                {run && (
                  <p class="muted">
                    {run.visits} {run.visits === 1 ? "run" : "runs"}
                    {run.retries > 0 &&
                      `, ${run.retries} ${run.retries === 1 ? "retry" : "retries"}`}
                  </p>
                )}
                {run?.error && (
                  <p>
                    <strong>{run.error}</strong>
                    {run.cause && <span class="break"> — {run.cause}</span>}
                  </p>
                )}
                <JsonBlock label="Input" value={run?.input} open />
                <JsonBlock label="Output" value={run?.output} open />
              </>
            ) : (
              <p class="muted">Select a state in the graph to see its input and output.</p>
            )}
          </aside>
        </div>
      </section>

      <section aria-labelledby="io-title" class="panel">
        <h2 id="io-title">Input and output</h2>
        <JsonBlock label="Execution input" value={execution.input} />
        <JsonBlock label="Execution output" value={execution.output} />
      </section>

      <section aria-labelledby="history-title" class="panel">
        <h2 id="history-title">Event history</h2>
        {history.error !== undefined && (
          <ErrorNotice error={history.error} title="Could not load the history" />
        )}
        <Timeline events={events} />
      </section>
    </>
  );
}

/**
 * Redrives the execution (RedriveExecution): it goes on from the states where it stopped, with
 * the same ARN and history. The server answers 409 with Step Functions' reason when it cannot.
 */
function RedriveButton(props: { arn: string; onRedriven: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const redrive = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.redrive(props.arn);
      await props.onRedriven();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class="button button-small"
        disabled={busy}
        onClick={redrive}
        title="Restart from the failed step, keeping the steps that succeeded"
      >
        {busy ? "Redriving…" : "Redrive"}
      </button>
      {error !== undefined && <ErrorNotice error={error} title="Could not redrive" />}
    </>
  );
}

const FIELDS = ["input", "output", "parameters", "error", "cause"] as const;

function eventTone(type: string): string {
  if (/Failed|TimedOut|Aborted/.test(type)) return "danger";
  if (/Succeeded$/.test(type)) return "success";
  if (/Submitted$/.test(type)) return "waiting";
  return "neutral";
}

/** Long histories (up to 25,000 events) show their latest events first-page only. */
const TIMELINE_PAGE = 300;

function Timeline(props: { events: HistoryEvent[] }) {
  const [all, setAll] = useState(false);
  const first = props.events[0] ? Date.parse(props.events[0].timestamp) : 0;
  const hidden = all ? 0 : Math.max(0, props.events.length - TIMELINE_PAGE);
  return (
    <>
      {hidden > 0 && (
        <p>
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => setAll(true)}
          >
            Show {hidden} earlier events
          </button>
        </p>
      )}
      <ol class="timeline">
        {props.events.slice(hidden).map((event) => {
          const details = eventDetails(event) ?? {};
          const name = typeof details.name === "string" ? details.name : undefined;
          const extra = FIELDS.filter((f) => details[f] !== undefined);
          const offset = Date.parse(event.timestamp) - first;
          // The same one-line summary, expandable when the event carries fields to show.
          const line = (
            <span class="event-line">
              <strong>{event.type}</strong>
              {name && <span class="event-state">{name}</span>}
              <time
                dateTime={event.timestamp}
                title={formatDateTime(event.timestamp)}
                class="muted"
              >
                +{offset < 1000 ? `${offset} ms` : formatDuration(offset)}
              </time>
            </span>
          );
          return (
            <li
              key={event.id}
              class={`event event-${eventTone(event.type)}`}
              data-event-type={event.type}
            >
              <span class="event-id">#{event.id}</span>
              <div class="event-body">
                {extra.length > 0 ? (
                  <details>
                    <summary>{line}</summary>
                    {extra.map((field) => (
                      <JsonBlock key={field} label={field} value={details[field]} open />
                    ))}
                  </details>
                ) : (
                  <p class="event-plain">{line}</p>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </>
  );
}
