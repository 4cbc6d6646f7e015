import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { tempDir } from "../../test/sfn/helpers.ts";
import { Journal, RECORD_END } from "./journal.ts";

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function journal(): Journal {
  const dir = tempDir("sfn-journal-unit-");
  dirs.push(dir);
  return new Journal(join(dir.dir, "sfn.journal"));
}

const parse = (line: string) => (line.startsWith("rec ") ? line.slice(4) : undefined);

it("reads back every complete record and stops at a torn tail", () => {
  const j = journal();
  j.append(`rec a\n{"multi": "line"}${RECORD_END}rec b${RECORD_END}`);
  j.append(`rec c${RECORD_END}`);
  appendFileSync(j.file, "rec d, cut short by a cra"); // a write the crash interrupted

  expect(j.records(parse)).toEqual(['a\n{"multi": "line"}', "b", "c"]);
  j.close();
});

it("stops at a record that does not parse, even with complete ones after it", () => {
  const j = journal();
  j.append(`rec a${RECORD_END}garbage${RECORD_END}rec b${RECORD_END}`);

  expect(j.records(parse)).toEqual(["a"]);
  j.close();
});

it("is empty after clear, and appends start at the beginning again", () => {
  const j = journal();
  j.append(`rec a${RECORD_END}`);
  j.clear();
  j.append(`rec b${RECORD_END}`);

  expect(readFileSync(j.file, "utf8")).toBe(`rec b${RECORD_END}`);
  expect(j.size).toBe(`rec b${RECORD_END}`.length);
  j.close();
});
