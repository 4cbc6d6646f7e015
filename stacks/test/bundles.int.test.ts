/**
 * Every handler as Lambda gets it: bundled with the stacks' esbuild options (ESM for Node 22,
 * `@aws-sdk/*` left external) and cold-started in a child process whose only packages are the AWS
 * SDK v3 the nodejs22.x runtime ships (the `@aws-sdk/*` packages and what they depend on), with
 * only the function's links in its environment. A handler that needs a package the bundle lacks,
 * or that reads a link it is not given at load time, fails here as it would on its first invoke.
 */
import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_DEFAULTS } from "../lib/function-defaults.ts";
import { FUNCTION_NAMES, FUNCTIONS } from "../topology.ts";

const root = path.resolve(import.meta.dirname, "../..");
const modules = path.join(root, "node_modules");
let dir: string;

/** `@aws-sdk/*` and everything they depend on: what the nodejs22.x runtime puts on the path. */
function runtimePackages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    let pkg: { dependencies?: Record<string, string> };
    try {
      pkg = JSON.parse(readFileSync(path.join(modules, name, "package.json"), "utf8"));
    } catch {
      return; // optional or nested elsewhere
    }
    seen.add(name);
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  for (const name of readdirSync(path.join(modules, "@aws-sdk"))) visit(`@aws-sdk/${name}`);
  return [...seen];
}

const LINK_VALUES: Record<string, unknown> = {
  App: { name: "countersign", stage: "bundle-test" },
  Table: { name: "t" },
  Email: { sender: "orders@example.com" },
  SigningKey: { value: "k".repeat(48) },
  Api: { url: "https://example.test" },
  OrderSaga: { arn: "arn:aws:states:us-east-1:123456789012:stateMachine:s" },
  Settings: { approvalThreshold: 500, approvalTimeoutSeconds: 3600, approvers: ["a@example.com"] },
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "countersign-bundles-"));
  mkdirSync(path.join(dir, "node_modules/@aws-sdk"), { recursive: true });
  for (const name of runtimePackages()) {
    mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
    symlinkSync(path.join(modules, name), path.join(dir, "node_modules", name));
  }
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("handler bundles", () => {
  for (const name of FUNCTION_NAMES) {
    it(`${name} bundles without the AWS SDK and cold-starts with only the runtime's SDK`, async () => {
      const outfile = path.join(dir, `${name}.mjs`);
      await build({
        entryPoints: [path.join(root, FUNCTIONS[name].handler)],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node22",
        external: [...FUNCTION_DEFAULTS.nodejs.esbuild.external],
        // What SST adds to ESM bundles so CommonJS dependencies can require Node's modules.
        banner: {
          js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
        },
        logLevel: "silent",
      });
      const bundle = readFileSync(outfile, "utf8");
      expect(bundle).not.toMatch(/node_modules\/@aws-sdk\//);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        AWS_REGION: "us-east-1",
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      };
      for (const link of ["App", ...FUNCTIONS[name].links]) {
        env[`SST_RESOURCE_${link}`] = JSON.stringify(LINK_VALUES[link]);
      }
      const out = execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(outfile)}); console.log(typeof m.handler);`,
        ],
        { cwd: dir, env, encoding: "utf8", timeout: 30_000 },
      );
      expect(out.trim()).toBe("function");
    });
  }
});
