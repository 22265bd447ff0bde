package io.stoker.dsl.validate;

import java.util.Set;

/**
 * What an expression may read where it is written.
 *
 * @param task        the written task it belongs to, or null for job-level env and trigger parameters
 * @param upstream    cells finished before the task starts (its representative cell)
 * @param writer      the task's pipe writer, or null
 * @param axes        the task's matrix axes
 * @param params      declared parameters, or null when they cannot be checked here
 * @param secrets     declared secrets (job and task)
 */
record Scope(String task, Set<String> upstream, String writer, Set<String> axes, Set<String> params,
             Set<String> secrets) {
}
