/** A collapsible, pretty-printed JSON value. */
import { prettyJson } from "../format.ts";

export function JsonBlock(props: { label: string; value: unknown; open?: boolean }) {
  if (props.value === undefined) return null;
  return (
    <details class="json" open={props.open}>
      <summary>{props.label}</summary>
      <pre>
        <code>{prettyJson(props.value)}</code>
      </pre>
    </details>
  );
}
