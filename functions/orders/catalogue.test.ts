import { describe, expect, it } from "vitest";
import { CATALOGUE_COLUMNS, checkCatalogue } from "./catalogue.ts";
import { CatalogueFileError, formatOf, parseCatalogue } from "./catalogue-file.ts";

const parse = (text: string, format: "csv" | "json" = "csv") =>
  parseCatalogue(text, format, CATALOGUE_COLUMNS);
const check = (text: string, format: "csv" | "json" = "csv") => checkCatalogue(parse(text, format));

describe("catalogue files", () => {
  it("reads CSV with a header, quotes, CRLF, a BOM and blank lines into products", () => {
    const csv = [
      "\uFEFFsku,name,price,currency,stock",
      "LAPTOP-14,Laptop 14-inch,1499.00,EUR,50",
      "",
      'DOCK,"Dock, USB4 ""pro""",189.5,EUR,200\r',
      "MOUSE,Wireless mouse,29,EUR,0",
    ].join("\n");

    const { products, issues } = check(csv);

    expect(issues).toEqual([]);
    expect(products).toEqual([
      {
        sku: "LAPTOP-14",
        name: "Laptop 14-inch",
        currency: "EUR",
        unitPriceMinor: 149_900,
        stock: 50,
      },
      {
        sku: "DOCK",
        name: 'Dock, USB4 "pro"',
        currency: "EUR",
        unitPriceMinor: 18_950,
        stock: 200,
      },
      { sku: "MOUSE", name: "Wireless mouse", currency: "EUR", unitPriceMinor: 2_900, stock: 0 },
    ]);
  });

  it("reads JSON arrays, numbers or strings alike", () => {
    const json = JSON.stringify(
      [
        { sku: "A", name: "Alpha", price: 10.5, currency: "USD", stock: 3 },
        { sku: "B", name: "Beta", price: "7", currency: "GBP", stock: "4" },
      ],
      null,
      2,
    );
    expect(check(json, "json")).toEqual({
      issues: [],
      products: [
        { sku: "A", name: "Alpha", currency: "USD", unitPriceMinor: 1050, stock: 3 },
        { sku: "B", name: "Beta", currency: "GBP", unitPriceMinor: 700, stock: 4 },
      ],
    });
  });

  it("reports every bad row with its line and field, and accepts none of the file", () => {
    const csv = [
      "sku,name,price,currency,stock",
      "GOOD,Fine product,10.00,EUR,5",
      "BAD PRICE,Spaces in sku,14,99,EUR,1",
      "X2,,1.999,eur,-1",
      "GOOD,Again,1,EUR,1",
      "CARD,Paid with 4242 4242 4242 4242,1,EUR,1",
      "SHORT,Short row",
    ].join("\n");

    const { products, issues } = check(csv);

    expect(products).toEqual([]);
    expect(issues).toEqual([
      {
        line: 3,
        field: "(row)",
        message: expect.stringContaining("has 6 cells but the header has 5"),
      },
      { line: 3, field: "sku", message: expect.stringContaining("letters, digits") },
      { line: 3, field: "currency", message: 'must be one of EUR, USD, GBP (got "99")' },
      {
        line: 3,
        field: "stock",
        message: 'must be a whole number from 0 to 1000000000 (got "EUR")',
      },
      { line: 4, field: "name", message: "is required" },
      {
        line: 4,
        field: "price",
        message: expect.stringContaining('at most 2 decimals, e.g. 1499.00 (got "1.999")'),
      },
      { line: 4, field: "currency", message: 'must be one of EUR, USD, GBP (got "eur")' },
      { line: 4, field: "stock", message: expect.stringContaining('(got "-1")') },
      { line: 5, field: "sku", message: '"GOOD" repeats line 2: keep one row' },
      { line: 6, field: "name", message: expect.stringMatching(/^looks like a card number/) },
      { line: 7, field: "price", message: "is required, e.g. 1499.00" },
      { line: 7, field: "currency", message: "is required: one of EUR, USD, GBP" },
      { line: 7, field: "stock", message: "is required: the units available for sale" },
    ]);
    expect(JSON.stringify(issues)).not.toContain("4242");
  });

  it("gives JSON rows the line they start on", () => {
    const json = `[
  {"sku": "A", "name": "Alpha", "price": 1, "currency": "EUR", "stock": 1},
  {
    "sku": "B",
    "name": "Beta",
    "price": 0,
    "currency": "EUR",
    "stock": 1,
    "colour": "red"
  },
  "not an object"
]`;
    expect(check(json, "json").issues).toEqual([
      { line: 3, field: "colour", message: expect.stringContaining("not a catalogue field") },
      { line: 3, field: "price", message: "must be more than 0" },
      { line: 11, field: "(row)", message: expect.stringContaining("must be an object") },
    ]);
  });

  it("refuses a file that is not a catalogue at all with the line of the problem", () => {
    expect(() => parse('[\n{"sku": }\n]', "json")).toThrow(/\(file\): is not valid JSON/);
    expect(() => parse('[\n{"sku": "A" "name": "B"}\n]', "json")).toThrow(
      /^line 2: \(file\): is not valid JSON: check/,
    );
    expect(() => parse('{"sku": "A"}', "json")).toThrow(/must be a JSON array/);
    expect(() => parse('sku,name,price,currency,stock\n"open,quote\n', "csv")).toThrow(
      /line 2: \(row\): a quoted field is never closed/,
    );
    expect(() => parse("", "csv")).toThrow(/line 1: \(file\): is empty/);
    expect(() => parse("sku,title,price\nA,B,1\n")).toThrow(
      "line 1: title: is not a catalogue column: the header is sku,name,price,currency,stock; line 1: (header): lacks name, currency, stock: the header is sku,name,price,currency,stock",
    );
    expect(() => parse("sku,name,price,currency,stock\n")).not.toThrow(CatalogueFileError);
    expect(check("sku,name,price,currency,stock\n").issues).toEqual([
      { line: 1, field: "(file)", message: "has no products" },
    ]);
    expect(formatOf("shop.CSV")).toBe("csv");
    expect(formatOf("shop.json")).toBe("json");
    expect(formatOf("shop.xlsx")).toBeUndefined();
  });
});
