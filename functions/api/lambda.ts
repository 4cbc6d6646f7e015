/** The API on Lambda (function URL or HTTP API): the app built from linked resources. */
import { handle } from "hono/aws-lambda";
import { createApp } from "./app.ts";
import { depsFromResources } from "./deps.ts";

export const handler = handle(createApp(depsFromResources()));
