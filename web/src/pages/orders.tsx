/** Orders and where each one stands. */
import { api } from "../api/client.ts";
import { Empty, ErrorNotice, Loading } from "../components/notice.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { TimeAgo } from "../components/time-ago.tsx";
import { formatMoney } from "../format.ts";
import { useNow } from "../hooks/use-now.ts";
import { usePoll } from "../hooks/use-poll.ts";
import { href } from "../router.ts";

export function OrdersPage() {
  const polled = usePoll(() => api.orders(), []);
  const now = useNow(5000);
  const items = [...(polled.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <header class="page-header">
        <h1>Orders</h1>
        <p class="muted">Each order and the state of its saga.</p>
      </header>
      {polled.error !== undefined && (
        <ErrorNotice error={polled.error} title="Could not load orders" />
      )}
      {polled.loading && !polled.data ? (
        <Loading label="Loading orders…" />
      ) : items.length === 0 ? (
        <Empty title="No orders yet" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Orders</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col">Status</th>
                <th scope="col">Updated</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {items.map((order) => (
                <tr key={order.orderId} data-order={order.orderId}>
                  <td data-label="Order">
                    <a
                      href={href({ page: "executions", status: "", q: order.orderId })}
                      title="Show its executions"
                    >
                      {order.orderId}
                    </a>
                  </td>
                  <td data-label="Customer">{order.customer.name}</td>
                  <td data-label="Total" class="num">
                    {formatMoney(order.total, order.currency)}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={order.status} />
                  </td>
                  <td data-label="Updated">
                    <TimeAgo iso={order.updatedAt} now={now} />
                  </td>
                  <td data-label="Reason">{order.failureReason ?? <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
