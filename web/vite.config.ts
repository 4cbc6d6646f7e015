/**
 * Builds the dashboard into web/dist. In development, `/api`, `/auth` and `/approvals` are proxied
 * to the API given by COUNTERSIGN_API (default http://127.0.0.1:3000; `sst dev` sets the stage's URL), so the page stays same-origin.
 */
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

const api = process.env.COUNTERSIGN_API ?? "http://127.0.0.1:3000";
// A deployed stage (`sst dev`) is behind CloudFront, which routes by Host: send its own.
const target = { target: api, changeOrigin: api.startsWith("https:") };

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [preact()],
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
