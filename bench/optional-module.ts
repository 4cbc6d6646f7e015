/**
 * Loads a module another helper owns that may not have landed yet, and finds the function it
 * exports. A missing module gives a reason to print instead of a figure, never a made-up number.
 */

/** The module is not there (yet) or exports no function; `message` is the reason to print. */
export class MissingModuleError extends Error {
  override name = "MissingModuleError";
}

/**
 * Imports `specifier` (relative to `bench/`) and returns its export called `preferred`, or its only
 * exported function.
 */
export async function loadFunction<F extends (...args: never[]) => unknown>(
  specifier: string,
  preferred: readonly string[],
  owner: string,
): Promise<F> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND") {
      throw new MissingModuleError(
        `${specifier.replace("./", "bench/")} (${owner}) not written yet`,
        {
          cause: error,
        },
      );
    }
    throw new MissingModuleError(
      `${specifier} (${owner}) failed to load: ${(error as Error).message.slice(0, 160)}`,
      { cause: error },
    );
  }
  for (const name of preferred) {
    if (typeof mod[name] === "function") return mod[name] as F;
  }
  const fns = Object.entries(mod).filter(([, v]) => typeof v === "function");
  const onlyFn = fns.length === 1 ? fns[0] : mod.default ? ["default", mod.default] : undefined;
  if (!onlyFn || typeof onlyFn[1] !== "function") {
    throw new MissingModuleError(
      `${specifier} (${owner}) exports ${fns.map(([n]) => n).join(", ") || "no function"}; expected ${preferred.join(" or ")}`,
    );
  }
  return onlyFn[1] as F;
}
