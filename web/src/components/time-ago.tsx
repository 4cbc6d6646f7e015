/** A moment shown relative to now ("5 min ago"), with the exact date and time on hover. */
import { formatDateTime, relativeTime } from "../format.ts";

export function TimeAgo(props: { iso: string; now: number }) {
  return (
    <time dateTime={props.iso} title={formatDateTime(props.iso)}>
      {relativeTime(props.iso, props.now)}
    </time>
  );
}
