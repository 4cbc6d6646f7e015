#!/usr/bin/env node
// Runs at `npm ci` and `npm install` (npm's `prepare`): builds what the first `npm start` would
// otherwise build while the user waits — the dashboard (web/dist, through Vite) and DynamoDB
// Local's loopback launcher (javac) — side by side. Offline, like the rest of the install. It
// never fails the install: whatever it cannot build here (no devDependencies, no JDK), the first
// start builds or does without, and says so.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

/** Runs a Node script of the repo; resolves to its exit code and output. */
async function run(args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const [code] = await once(child, "close");
  return { code, output: output.trim() };
}

const launcher = `
  const { prepareDynamoDbLocal } = await import("./local/emulators/dynamodb-local.ts");
  const why = prepareDynamoDbLocal();
  if (why) { console.log(why); process.exit(3); }
`;
const [web, dynamodb] = await Promise.all([
  run(["scripts/build-web.mjs"]),
  run(["--import", "tsx", "--input-type=module", "-e", launcher]),
]);
const last = (r) => r.output.split("\n").at(-1) || `exit ${r.code}`;
console.log(
  web.code === 0
    ? "countersign: dashboard built (web/dist)"
    : `countersign: the dashboard was not built now (${last(web)}); the first \`npm start\` builds it`,
);
console.log(
  dynamodb.code === 0
    ? "countersign: DynamoDB Local's loopback launcher is ready"
    : `countersign: DynamoDB Local's loopback launcher was not built (${last(dynamodb)}); \`npm start\` will say what that means`,
);
