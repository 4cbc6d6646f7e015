/**
 * `stateConfiguration.mapItemReaderData`: the data a Distributed Map's ItemReader would read from
 * S3, given as it is found there, turned into the Map's items the way the reader's configuration
 * says (ReaderConfig.InputType JSON, JSONL or CSV with its header and delimiter, MaxItems), per
 * "ItemReader (Map)" in the Step Functions developer guide.
 */
import type { Json, JsonObject } from "../types.ts";
import { isObject } from "./definition.ts";
import { invalid } from "./errors.ts";

/** The items the reader yields. @throws TestStateRejected when the data does not parse. */
export function readItemReaderData(reader: Json, data: string): Json[] {
  const config = isObject(reader) && isObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const type = typeof config.InputType === "string" ? config.InputType : "JSON";
  let items: Json[];
  if (type === "CSV") items = csvItems(config, data);
  else if (type === "JSONL")
    items = data
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "")
      .map(parse);
  else {
    const doc = parse(data);
    if (!Array.isArray(doc)) {
      throw invalid(
        "mapItemReaderData must be a JSON array for an ItemReader that reads JSON; give the array the S3 object holds",
      );
    }
    items = doc;
  }
  const max = config.MaxItems;
  return typeof max === "number" && max > 0 ? items.slice(0, max) : items;
}

function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw invalid(`mapItemReaderData is not valid JSON: ${(e as Error).message}`);
  }
}

function csvItems(config: JsonObject, data: string): Json[] {
  const delimiter = { COMMA: ",", PIPE: "|", SEMICOLON: ";", SPACE: " ", TAB: "\t" }[
    String(config.CSVDelimiter ?? "COMMA")
  ];
  const rows = csvRows(data, delimiter ?? ",");
  let headers: string[];
  if (config.CSVHeaderLocation === "GIVEN") {
    headers = Array.isArray(config.CSVHeaders) ? config.CSVHeaders.map(String) : [];
  } else headers = rows.shift() ?? [];
  return rows.map((row) => {
    const item: JsonObject = {};
    headers.forEach((h, i) => {
      item[h] = row[i] ?? "";
    });
    return item;
  });
}

/** RFC 4180 rows: quoted fields may hold delimiters, newlines and doubled quotes. */
function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
