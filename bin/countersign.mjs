#!/usr/bin/env node
// Entry point of the `countersign` CLI: loads the TypeScript sources through tsx, so the repo runs
// without a build step.
import { register } from "tsx/esm/api";

// The SDK warns on every Node 20 process about its future Node 22 floor; Node 20 is supported here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
await import("../local/cli/index.ts");
