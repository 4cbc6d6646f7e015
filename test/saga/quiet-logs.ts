/**
 * Imported first by the saga fault runs: the approval service logs every request and decision at
 * INFO through Powertools' Logger, which writes straight to stdout (past Vitest's console capture)
 * and reads its level once, when the module loads. Hundreds of sagas would bury the run's output;
 * errors still print. A level set by the caller wins.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
