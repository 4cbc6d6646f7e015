/**
 * Corpus cases the engine does not match yet, each with its reason. The conformance test fails
 * when a listed case starts passing (remove it here), so these lists only shrink. Keys are the case
 * file names without `.json`.
 */

/** Cases whose status/output/error/cause differ from AWS's recording. */
export const knownFailures: Record<string, string> = {};

/** Cases whose recorded `history_event_types` differ from the engine's. */
export const knownHistoryMismatches: Record<string, string> = {
  assign__test_base_parallel_cases_BASE_SCOPE_PARALLEL___get_execution_history:
    "Parallel history was normalised upstream (branch events regrouped, ParallelStateSucceeded dropped); the engine emits AWS's ParallelStateSucceeded and runs branches one after another",
  scenarios__test_parallel_state_PARALLEL_STATE_PARAMETERS___get_execution_history:
    "Parallel history was normalised upstream (see BASE_SCOPE_PARALLEL)",
  scenarios__test_parallel_state_PARALLEL_STATE___get_execution_history:
    "Parallel history was normalised upstream (see BASE_SCOPE_PARALLEL)",
  scenarios__test_parallel_state_nested__get_execution_history:
    "Parallel history was normalised upstream: events of the inner Parallel are deduplicated away",
  scenarios__test_parallel_state_order__get_execution_history:
    "Parallel history was normalised upstream (see BASE_SCOPE_PARALLEL)",
};

/**
 * Task corpus (`conformance/aws-recorded-tasks`) cases whose result differs from AWS's recording,
 * run by `test/sfn/aws-recorded-tasks.test.ts`. Cases that need SQS or SNS are not listed: they
 * are counted as skipped, with that reason, by the test itself.
 */
export const knownTaskFailures: Record<string, string> = {
  context_object__context_object__test_result_selector:
    "the recorded Lambda Invoke response's Content-Length (82) counts the real function name, which the recording's snapshot replaced by 'id_function_1' (7 characters shorter); everything else matches",
  services__sfn_task_service__test_start_execution:
    "the recorded StartExecution response's Content-Length (164) counts the body AWS sent in the recording's own region (now the ${region} placeholder) with its start date's digits (Java writes 1.713421057123E9, fewer digits when the milliseconds end in 0); here the region and start date differ and the body is 161 bytes; every other member matches",
  services__sfn_task_service__test_start_execution_input_json:
    "as test_start_execution: the recorded Content-Length (163) counts the recording's region and start date digits; the runtime's body is 161 bytes",
};

/** Task corpus cases whose recorded `history_event_types` differ from the runtime's. */
export const knownTaskHistoryMismatches: Record<string, string> = {
  states_variables__error_output__test_parallel_catch_error_PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY_:
    "Parallel history was normalised upstream: ParallelStateFailed of both attempts dropped and TaskFailed sorted before TaskScheduled (see knownHistoryMismatches' BASE_SCOPE_PARALLEL); the runtime records AWS's real order",
  states_variables__error_output__test_parallel_catch_error_PARALLEL_CATCH_ERROR_VARIABLE_SAMPLING_:
    "Parallel history was normalised upstream: ParallelStateFailed dropped and TaskFailed sorted before TaskScheduled (see PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY_)",
};
