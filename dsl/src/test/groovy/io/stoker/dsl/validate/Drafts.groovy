package io.stoker.dsl.validate

import io.stoker.dsl.draft.JobDraft
import io.stoker.dsl.draft.JobfileDraft
import io.stoker.dsl.draft.Located
import io.stoker.dsl.draft.ParamDraft
import io.stoker.dsl.draft.TaskDraft
import io.stoker.model.Pos
import io.stoker.model.Step

/**
 * Builds drafts in code for validator specs. Positions are predictable: a task written at line L sits at L:3,
 * its steps at (L+1+i):5, and its other elements on line L at a column per kind (see {@link #COL}).
 */
class Drafts {
    static final Map<String, Integer> COL = [needs: 11, input: 12, retry: 13, timeout: 14, when: 15, matrix: 16,
                                             env: 17, secrets: 18, artifacts: 19, agent: 20]

    static JobfileDraft file(JobDraft... jobs) {
        def draft = new JobfileDraft('Jobfile')
        draft.jobs.addAll(jobs)
        draft
    }

    /** A job at line {@code line}:1; options: params (list of ParamDraft), env, secrets, timeout, concurrency, cron, poll, after. */
    static JobDraft job(Map opts = [:], String name, int line, TaskDraft... tasks) {
        def job = new JobDraft(name: name, pos: new Pos(line, 1))
        job.tasks.addAll(tasks)
        (opts.params ?: []).each { job.parameters << it }
        (opts.env ?: [:]).each { k, v -> job.env[k] = new Located<String>(v, new Pos(line, 30)) }
        (opts.secrets ?: []).each { job.secrets << new Located<String>(it, new Pos(line, 31)) }
        if (opts.timeout != null) job.timeoutMillis = new Located<Long>(opts.timeout as Long, new Pos(line, 32))
        if (opts.concurrency != null) job.concurrency = new Located<Long>(opts.concurrency as Long, new Pos(line, 33))
        (opts.cron ?: []).each { job.cronTriggers << new Located<String>(it, new Pos(line, 34)) }
        (opts.poll ?: []).each { job.pollTriggers << new Located<String>(it, new Pos(line, 35)) }
        (opts.after ?: []).each { Map a -> job.afterTriggers << new JobDraft.AfterDraft(a.job, a.parameters ?: [:], new Pos(line, 36)) }
        job
    }

    /** A task at {@code line}:3; options: sh (string or list), needs, input (string or list), retry, timeout, when, matrix, env, secrets, artifacts. */
    static TaskDraft task(Map opts = [:], String name, int line) {
        def task = new TaskDraft(name: name, pos: new Pos(line, 3))
        def scripts = opts.containsKey('sh') ? opts.sh : 'true'
        (scripts instanceof List ? scripts : [scripts]).eachWithIndex { s, i -> if (s != null) task.steps << new Step.Sh(s, new Pos(line + 1 + i, 5)) }
        located(opts.needs, line, 'needs').each { task.needs << it }
        located(opts.input, line, 'input').each { task.inputs << it }
        located(opts.secrets, line, 'secrets').each { task.secrets << it }
        located(opts.artifacts, line, 'artifacts').each { task.artifacts << it }
        if (opts.retry != null) task.retry = new Located<Long>(opts.retry as Long, new Pos(line, COL.retry))
        if (opts.timeout != null) task.timeoutMillis = new Located<Long>(opts.timeout as Long, new Pos(line, COL.timeout))
        if (opts.when != null) task.when = new Located<String>(opts.when, new Pos(line, COL.when))
        (opts.matrix ?: [:]).each { k, v -> task.matrix[k] = new Located<List<Object>>(v, new Pos(line, COL.matrix)) }
        (opts.env ?: [:]).each { k, v -> task.env[k] = new Located<String>(v, new Pos(line, COL.env)) }
        task
    }

    static ParamDraft param(String type, String name, int line, Object defaultValue = null, List choices = null) {
        new ParamDraft(type, name, defaultValue, choices, null, new Pos(line, 5))
    }

    private static List<Located<String>> located(Object value, int line, String kind) {
        if (value == null) return []
        (value instanceof List ? value : [value]).collect { new Located<String>(it as String, new Pos(line, COL[kind])) }
    }
}
