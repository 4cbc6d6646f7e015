/**
 * What a Distributed Map state needs beyond an inline one, compiled once with the definition:
 * ItemReader (resource, Parameters/Arguments, ReaderConfig with MaxItems), ItemBatcher
 * (MaxItemsPerBatch, MaxInputBytesPerBatch, BatchInput), ResultWriter (resource,
 * Parameters/Arguments, WriterConfig), the child executions' type and the Map Run's Label.
 * Per AWS's "Using Map state in Distributed mode" and its ItemReader / ItemBatcher / ResultWriter
 * pages (docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
 */
import type { NumberSource } from "../../model.ts";
import type { CompiledJsonata } from "../../paths/jsonata.ts";
import { compileJsonataTemplate, isJsonataExpression } from "../../paths/jsonata.ts";
import type { CompiledTemplate } from "../../paths/payload-template.ts";
import { compilePayloadTemplate } from "../../paths/payload-template.ts";
import type { Json, JsonObject, QueryLanguage } from "../../types.ts";

/** Parameters (JSONPath) or Arguments (JSONata) of a reader or writer. */
export type CompiledArgs =
  | { kind: "template"; template: CompiledTemplate }
  | { kind: "jsonata"; template: CompiledJsonata }
  | undefined;

export interface DistributedSpec {
  executionType: "STANDARD" | "EXPRESS";
  label?: string;
  /** The ItemProcessor as a state machine of its own (what each child execution runs). */
  processorDefinition: string;
  reader?: {
    resource: string;
    args: CompiledArgs;
    /** ReaderConfig without MaxItems/MaxItemsPath; JSONata strings in it are evaluated. */
    config: CompiledJsonata;
    maxItems?: NumberSource;
  };
  batcher?: {
    maxItems?: NumberSource;
    maxBytes?: NumberSource;
    batchInput?: CompiledArgs;
  };
  writer?: { resource: string; args: CompiledArgs; config?: CompiledJsonata };
  /** ItemSelector (or legacy Parameters) as written: the runtime applies it item by item. */
  selector?: Json;
}

/** What the engine's compiler lends this module. */
export interface SpecCompiler {
  error(location: string, message: string, code?: string): void;
  jsonata(v: Json, field: string, at: string): CompiledJsonata | undefined;
  numberSource(
    raw: JsonObject,
    field: string,
    ql: QueryLanguage,
    at: string,
  ): NumberSource | undefined;
}

/** The resources AWS accepts in ItemReader and ResultWriter. */
export const READER_RESOURCES = [
  "arn:aws:states:::s3:getObject",
  "arn:aws:states:::s3:listObjectsV2",
] as const;
export const WRITER_RESOURCES = ["arn:aws:states:::s3:putObject"] as const;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function compileArgs(
  c: SpecCompiler,
  raw: JsonObject,
  ql: QueryLanguage,
  at: string,
): CompiledArgs {
  if (ql === "JSONata") {
    if (raw.Arguments === undefined) return undefined;
    const t = c.jsonata(raw.Arguments, "Arguments", `${at}/Arguments`);
    return t && { kind: "jsonata", template: t };
  }
  if (raw.Parameters === undefined) return undefined;
  try {
    return { kind: "template", template: compilePayloadTemplate(raw.Parameters) };
  } catch (e) {
    c.error(`${at}/Parameters`, `Invalid value for field 'Parameters': ${(e as Error).message}`);
    return undefined;
  }
}

/** Compiles the distributed parts of a Map state (`raw`), or reports why it cannot run. */
export function compileDistributed(
  c: SpecCompiler,
  name: string,
  raw: JsonObject,
  processor: JsonObject,
  ql: QueryLanguage,
  at: string,
  distributed: boolean,
): DistributedSpec | undefined {
  if (!distributed) {
    for (const f of ["ItemReader", "ItemBatcher", "ResultWriter"]) {
      if (raw[f] !== undefined) {
        c.error(
          `${at}/${f}`,
          `Map state '${name}' uses ${f}, which needs "ProcessorConfig": {"Mode": "DISTRIBUTED"} in its ItemProcessor`,
        );
      }
    }
    return undefined;
  }
  const cfg = (processor.ProcessorConfig ?? {}) as JsonObject;
  const executionType = cfg.ExecutionType === "EXPRESS" ? "EXPRESS" : "STANDARD";
  const { ProcessorConfig: _omit, ...child } = processor;
  if (child.QueryLanguage === undefined && ql === "JSONata") child.QueryLanguage = ql;
  const spec: DistributedSpec = {
    executionType,
    processorDefinition: JSON.stringify(child),
  };
  if (typeof raw.Label === "string") spec.label = raw.Label;
  const selector = raw.ItemSelector ?? raw.Parameters;
  if (selector !== undefined) spec.selector = selector;
  if (raw.ItemReader !== undefined) {
    const r = raw.ItemReader;
    const rat = `${at}/ItemReader`;
    if (!isObject(r) || typeof r.Resource !== "string") {
      c.error(
        rat,
        `ItemReader of Map state '${name}' needs a Resource (${READER_RESOURCES.join(" or ")})`,
      );
    } else if (!(READER_RESOURCES as readonly string[]).includes(r.Resource)) {
      c.error(
        `${rat}/Resource`,
        `ItemReader Resource '${r.Resource}' is not supported; use ${READER_RESOURCES.join(" or ")}`,
        "INVALID_RESOURCE",
      );
    } else {
      const config = isObject(r.ReaderConfig) ? { ...r.ReaderConfig } : {};
      const maxItems = c.numberSource(config, "MaxItems", ql, `${rat}/ReaderConfig`);
      delete config.MaxItems;
      delete config.MaxItemsPath;
      const compiled = c.jsonata(config, "ReaderConfig", `${rat}/ReaderConfig`);
      if (compiled) {
        spec.reader = { resource: r.Resource, args: compileArgs(c, r, ql, rat), config: compiled };
        if (maxItems) spec.reader.maxItems = maxItems;
      }
    }
  }
  if (raw.ItemBatcher !== undefined) {
    const b = raw.ItemBatcher;
    const bat = `${at}/ItemBatcher`;
    if (!isObject(b)) c.error(bat, "ItemBatcher must be an object");
    else {
      spec.batcher = {};
      const maxItems = c.numberSource(b, "MaxItemsPerBatch", ql, bat);
      const maxBytes = c.numberSource(b, "MaxInputBytesPerBatch", ql, bat);
      if (!maxItems && !maxBytes) {
        c.error(
          bat,
          "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their Path forms)",
        );
      }
      if (maxItems) spec.batcher.maxItems = maxItems;
      if (maxBytes) spec.batcher.maxBytes = maxBytes;
      if (b.BatchInput !== undefined) {
        spec.batcher.batchInput =
          ql === "JSONata"
            ? { kind: "jsonata", template: compileJsonataTemplate(b.BatchInput, "BatchInput") }
            : { kind: "template", template: compilePayloadTemplate(b.BatchInput) };
      }
    }
  }
  if (raw.ResultWriter !== undefined) {
    const w = raw.ResultWriter;
    const wat = `${at}/ResultWriter`;
    if (!isObject(w)) c.error(wat, "ResultWriter must be an object");
    else if (w.Resource === undefined && isObject(w.WriterConfig)) {
      // Since 2025 a WriterConfig alone shapes the state's output without writing to S3.
      const config = c.jsonata(w.WriterConfig, "WriterConfig", `${wat}/WriterConfig`);
      spec.writer = { resource: "", args: undefined, ...(config ? { config } : {}) };
    } else if (typeof w.Resource !== "string" || !WRITER_RESOURCES.includes(w.Resource as never)) {
      c.error(
        `${wat}/Resource`,
        `ResultWriter Resource '${String(w.Resource)}' is not supported; use ${WRITER_RESOURCES[0]}`,
        "INVALID_RESOURCE",
      );
    } else {
      spec.writer = { resource: w.Resource, args: compileArgs(c, w, ql, wat) };
      if (isObject(w.WriterConfig)) {
        const config = c.jsonata(w.WriterConfig, "WriterConfig", `${wat}/WriterConfig`);
        if (config) spec.writer.config = config;
      }
    }
  }
  return spec;
}

/** Whether a raw value holds a JSONata expression anywhere (ReaderConfig fields may). */
export function hasJsonata(v: Json): boolean {
  if (isJsonataExpression(v)) return true;
  if (Array.isArray(v)) return v.some(hasJsonata);
  if (isObject(v)) return Object.values(v).some(hasJsonata);
  return false;
}
