#!/usr/bin/env node
// Entry point of the `countersign` CLI: loads the TypeScript sources through tsx, so the repo runs
// without a build step.
import { register } from "tsx/esm/api";

register();
await import("../local/cli/index.ts");
