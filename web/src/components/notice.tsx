/** Inline messages: errors from the API, empty states, loading. */
import type { ComponentChildren } from "preact";
import { ApiError } from "../api/errors.ts";

export function ErrorNotice(props: { error: unknown; title?: string }) {
  const error = props.error;
  const detail =
    error instanceof ApiError
      ? (error.problem.detail ?? error.problem.title ?? error.message)
      : error instanceof Error
        ? error.message
        : String(error);
  const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <div class="notice notice-danger" role="alert">
      <strong>{props.title ?? "Something went wrong"}</strong>
      <p>{detail}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Empty(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{props.title}</p>
      {props.children && <p class="muted">{props.children}</p>}
    </div>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? "Loading…"}
    </p>
  );
}
