/**
 * `countersign catalogue import <file> [--dry-run]`: products from a CSV or JSON file into the
 * local platform or a deployed stage. Every row is checked first; a file with any bad row is
 * refused whole, each problem with its line and field (functions/orders/catalogue.ts).
 */
import type { Command } from "commander";
import { print } from "./output.ts";
import { connect, type TargetOptions, targetOptions } from "./target.ts";

export function registerCatalogueCommands(program: Command): void {
  const catalogue = program.command("catalogue").description("the products orders are priced from");
  const importer = catalogue
    .command("import")
    .description(
      "add or update products from a CSV or JSON file (columns sku,name,price,currency,stock); all rows or none",
    )
    .argument("<file>", 'a .csv or .json file (format: README.md, "Products")')
    .option("--dry-run", "check the file and show what would change; write nothing");
  targetOptions(importer).action(async (file: string, o: TargetOptions & { dryRun?: boolean }) => {
    // Checked before connecting: a bad file is refused even when nothing runs.
    const { readCatalogueFile } = await import("./files.ts");
    const products = readCatalogueFile(file);
    const client = await connect(importer, o);
    const report = await client.importCatalogue(products, { dryRun: o.dryRun ?? false });
    if (o.json) return print(report);
    const counts = `${report.created.length} new, ${report.updated.length} updated, ${report.unchanged.length} unchanged`;
    console.log(
      report.dryRun
        ? `Dry run: ${products.length} products in ${file} are valid (${counts} in ${client.where}); nothing was written`
        : `Imported ${products.length} products into ${client.where} (${counts})`,
    );
  });
}
