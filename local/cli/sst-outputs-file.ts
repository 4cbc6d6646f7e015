/**
 * Where SST v4 writes the outputs of the last deploy, relative to the app's directory. Its own
 * module so the options that name it (target.ts) do not load the outputs' schema (zod) with them.
 */
export const SST_OUTPUTS_FILE = ".sst/outputs.json";
