/**
 * Item 6: the approval API Lambda as SST would bundle it (esbuild, minified) and the time to import
 * it cold in a fresh Node process. The measurement is the deploy helper's `bench/api-bundle.ts`.
 */
import type { Figure } from "./figures.ts";
import { loadFunction, MissingModuleError } from "./optional-module.ts";
import { progress } from "./stats.ts";

type ApiBundleBench = (options?: {
  quick?: boolean;
  externalSdk?: boolean;
}) => Promise<{ bytes: number; coldImportMs: number }>;

export async function runApiSection({ quick }: { quick: boolean }): Promise<Figure[]> {
  let bench: ApiBundleBench;
  try {
    bench = await loadFunction<ApiBundleBench>(
      "./api-bundle.ts",
      ["measureApiBundle", "runApiBundle", "apiBundle", "benchApiBundle"],
      "deploy helper H5",
    );
  } catch (error) {
    if (!(error instanceof MissingModuleError)) throw error;
    return [
      { name: "api.bundleKB", value: null, unit: "KB", note: error.message },
      { name: "api.coldImportMs", value: null, unit: "ms", note: error.message },
    ];
  }
  // As deployed (stacks/functions.ts): the AWS SDK v3 comes from the Lambda runtime, not the bundle.
  progress("api", "bundling functions/api/lambda.ts with esbuild (minified, SDK from the runtime)");
  const { bytes, coldImportMs } = await bench({ quick, externalSdk: true });
  progress(
    "api",
    `${bytes.toLocaleString("en-US")} bytes, cold import ${coldImportMs.toFixed(1)} ms`,
  );
  return [
    {
      name: "api.bundleKB",
      value: bytes / 1024,
      unit: "KB",
      note: "AWS SDK v3 external (provided by the nodejs22.x runtime), as stacks/functions.ts deploys it",
    },
    { name: "api.coldImportMs", value: coldImportMs, unit: "ms" },
  ];
}
