/** Old runs discarded by a policy (STOKER_KEEP_RUNS, STOKER_KEEP_RUNS_DAYS): their rows, logs and artifacts. */
package io.stoker.server.retention;
