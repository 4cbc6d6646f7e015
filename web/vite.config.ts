/**
 * Builds the dashboard into web/dist. In development, `/api`, `/auth` and `/approvals` are proxied
 * to the API given by COUNTERSIGN_API (default http://127.0.0.1:3000; `sst dev` sets the stage's URL), so the page stays same-origin.
 */
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { THEME_CSS } from "../functions/api/pages/theme.ts";

const api = process.env.COUNTERSIGN_API ?? "http://127.0.0.1:3000";
// A deployed stage (`sst dev`) is behind CloudFront, which routes by Host: send its own.
const target = { target: api, changeOrigin: api.startsWith("https:") };

/** `virtual:countersign-theme.css`: the look the dashboard shares with the approval pages. */
function sharedTheme(): Plugin {
  const id = "virtual:countersign-theme.css";
  const resolved = `\0${id}`;
  return {
    name: "countersign-theme",
    resolveId: (source) => (source === id ? resolved : undefined),
    load: (source) => (source === resolved ? THEME_CSS : undefined),
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [preact(), sharedTheme()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      "/api": target,
      "/auth": target,
      "/approvals": target,
    },
  },
});
