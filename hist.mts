import { readFileSync } from "node:fs";
import { SFNClient, ListExecutionsCommand, GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
const dir = process.argv[2];
const urls = JSON.parse(readFileSync(`${dir}/urls.json`, "utf8"));
const sfn = new SFNClient({ endpoint: urls.stepFunctions, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn: urls.stateMachineArn, maxResults: 1000, statusFilter: "RUNNING" }));
const e = out.executions![Number(process.argv[3] ?? 0)]!;
const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: e.executionArn, maxResults: 1000 }));
for (const ev of h.events ?? []) {
  const d = Object.entries(ev).find(([k]) => k.endsWith("EventDetails"))?.[1] as any;
  console.log(ev.id, ev.timestamp?.toISOString(), ev.type, d?.name ?? "", d?.error ?? "", (d?.cause ?? "").slice(0, 150));
}
