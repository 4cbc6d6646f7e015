/**
 * The approval API's Lambda bundle, built the way SST v4 builds a Node function (esbuild: one ESM
 * file, minified, platform node, target = the function's runtime, SST's `createRequire` banner),
 * and the time a fresh Node process takes to import it — the cold-start share the bundle controls.
 *
 * The AWS SDK v3 is bundled, as SST does by default: the handlers run against the SDK version the
 * tests ran with, not whichever one the Lambda runtime ships that month, and tree-shaking keeps
 * only the clients used. `externalSdk: true` measures the alternative (runtime-provided SDK).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/** SST's ESM banner: lets bundled CommonJS call `require` and read `__dirname`. */
const SST_ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

/** Options of {@link measureApiBundle}. */
export interface ApiBundleOptions {
  /** One cold import instead of the median of five. */
  quick?: boolean;
  /** Leave `@aws-sdk/*` to the Lambda runtime instead of bundling it. */
  externalSdk?: boolean;
}

/** What the benchmark records. */
export interface ApiBundleResult {
  /** Size of the bundled handler file. */
  bytes: number;
  /** Median time for a fresh Node process to import the bundle (module evaluation included). */
  coldImportMs: number;
}

/** Bundles `functions/api/lambda.ts` as SST would and measures it. */
export async function measureApiBundle(options: ApiBundleOptions = {}): Promise<ApiBundleResult> {
  // With the SDK external the bundle must resolve `@aws-sdk/*` as Lambda's runtime would offer it,
  // so it is written where the project's node_modules are found; otherwise anywhere.
  const parent = options.externalSdk ? path.join(root, "node_modules/.cache") : tmpdir();
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, "countersign-api-bundle-"));
  try {
    const outfile = path.join(dir, "lambda.mjs");
    await build({
      entryPoints: [path.join(root, "functions/api/lambda.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      minify: true,
      sourcemap: false,
      mainFields: ["module", "main"],
      banner: { js: SST_ESM_BANNER },
      external: options.externalSdk ? ["@aws-sdk/*", "@smithy/*"] : [],
      logLevel: "silent",
    });
    const bytes = statSync(outfile).size;
    const runs = options.quick ? 1 : 5;
    const times = Array.from({ length: runs }, () => coldImport(dir, outfile)).sort(
      (a, b) => a - b,
    );
    return { bytes, coldImportMs: times[Math.floor(times.length / 2)]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports the bundle in a fresh process with the links set as SST sets them on Lambda. */
function coldImport(dir: string, outfile: string): number {
  const probe = path.join(dir, "probe.mjs");
  writeFileSync(
    probe,
    `const t = performance.now(); await import(${JSON.stringify(outfile)}); ` +
      "process.stdout.write(String(performance.now() - t));",
  );
  // Only the environment a Lambda would have: the bundle must not reach into node_modules.
  const env = {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "us-east-1",
    SST_RESOURCE_App: JSON.stringify({ name: "countersign", stage: "bench" }),
    SST_RESOURCE_Table: JSON.stringify({ name: "countersign-bench-Data" }),
    SST_RESOURCE_Email: JSON.stringify({ sender: "orders@example.com" }),
    SST_RESOURCE_SigningKey: JSON.stringify({ value: "k".repeat(48) }),
    SST_RESOURCE_Api: JSON.stringify({ url: "https://example.cloudfront.net" }),
    SST_RESOURCE_OrderSaga: JSON.stringify({
      arn: "arn:aws:states:us-east-1:123456789012:stateMachine:countersign-bench-OrderSaga",
    }),
    SST_RESOURCE_Settings: JSON.stringify({
      approvalThreshold: 500,
      approvalTimeoutSeconds: 86_400,
      approvers: [],
    }),
  };
  const run = spawnSync(process.execPath, [probe], { cwd: dir, env, encoding: "utf8" });
  if (run.status !== 0) {
    throw new Error(
      `importing the API bundle failed (exit ${run.status}): ${run.stderr.slice(0, 500)}`,
    );
  }
  return Number(run.stdout);
}

// `node --import tsx bench/api-bundle.ts` prints both variants.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const externalSdk of [false, true]) {
    const r = await measureApiBundle({ externalSdk });
    process.stdout.write(
      `${externalSdk ? "SDK external" : "SDK bundled "}: ${(r.bytes / 1024).toFixed(1)} KB, cold import ${r.coldImportMs.toFixed(1)} ms\n`,
    );
  }
}
