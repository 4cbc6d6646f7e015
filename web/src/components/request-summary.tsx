/**
 * A request as the approvals contract describes it (functions/approvals/contract.ts): its typed
 * summary fields and its details, with nothing specific to orders or any other workflow. The same
 * fields the emails and the confirm page render (functions/approvals/render.ts).
 */
import type { SummaryField } from "../api/types.ts";
import { formatDateTime, formatMoney } from "../format.ts";

function Value(props: { field: SummaryField }) {
  const f = props.field;
  switch (f.type) {
    case "money":
      return <strong>{formatMoney(f.amount, f.currency)}</strong>;
    case "number":
      return <>{f.value.toLocaleString()}</>;
    case "date":
      return <time dateTime={f.value}>{formatDateTime(f.value)}</time>;
    case "link":
      return (
        <a href={f.href} rel="noopener noreferrer" target="_blank">
          {f.text ?? f.href}
        </a>
      );
    default:
      return <>{f.value}</>;
  }
}

export function RequestSummary(props: { summary: SummaryField[]; details?: string | undefined }) {
  return (
    <>
      {props.summary.length > 0 && (
        <table class="lines summary">
          <caption class="visually-hidden">Summary</caption>
          <tbody>
            {props.summary.map((f, i) => (
              <tr key={`${i}-${f.label}`}>
                <th scope="row">{f.label}</th>
                <td class={f.type === "money" || f.type === "number" ? "num" : ""}>
                  <Value field={f} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.details && <p class="details">{props.details}</p>}
    </>
  );
}

/** The first money field: what most requests are about (a total, an amount). */
export function headlineAmount(summary: SummaryField[]): string | undefined {
  const money = summary.find((f) => f.type === "money");
  return money?.type === "money" ? formatMoney(money.amount, money.currency) : undefined;
}
