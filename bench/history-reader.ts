/**
 * The reading client of the history bench (`history-section.ts`), in a process of its own so that
 * parsing megabytes of JSON does not count against the server being measured:
 * `node --import tsx bench/history-reader.ts <url> <executionArn> <reads>` pages through the
 * execution's history `reads` times (1,000 events a page) and prints `{"events", "readMs"}`.
 */
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";

const [url, executionArn, readsText] = process.argv.slice(2);
if (!url || !executionArn) throw new Error("usage: history-reader.ts <url> <executionArn> <reads>");
const sfn = new SFNClient({
  endpoint: url,
  region: "us-east-1",
  credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
});
const readMs: number[] = [];
let events = 0;
for (let r = 0; r < Number(readsText ?? 1); r++) {
  const t0 = performance.now();
  let nextToken: string | undefined;
  let count = 0;
  let last: HistoryEvent | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    count += page.events?.length ?? 0;
    last = page.events?.at(-1) ?? last;
    nextToken = page.nextToken;
  } while (nextToken);
  readMs.push(performance.now() - t0);
  if (last?.type !== "ExecutionFailed") throw new Error(`the history ends with ${last?.type}`);
  events = count;
}
sfn.destroy();
process.stdout.write(`${JSON.stringify({ events, readMs })}\n`);
