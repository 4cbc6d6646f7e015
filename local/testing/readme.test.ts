/**
 * The README's complete example is `example.test.ts` itself (which `npm test` runs): this test
 * fails when the copy in the README and the file drift apart.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), "utf8");

it("README.md shows example.test.ts verbatim", () => {
  const readme = read("README.md");
  const marker = "## A complete example";
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(marker)))?.[1];

  expect(readme).toContain(marker);
  expect(block).toBe(read("example.test.ts"));
});
