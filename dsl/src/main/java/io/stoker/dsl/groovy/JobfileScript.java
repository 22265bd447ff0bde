package io.stoker.dsl.groovy;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;
import io.stoker.dsl.groovy.sandbox.PositionMark;

/** The base class of every compiled Jobfile: its top level knows one word, {@code job}. */
@DslNoun("the Jobfile")
public abstract class JobfileScript extends Script {

    private Evaluation evaluation;

    final void bind(Evaluation value) {
        this.evaluation = value;
    }

    /** Injected before every statement by the compiler; not a DSL word. */
    @PositionMark
    public final void $pos(int line, int col) {
        evaluation.at(line, col);
    }

    /** {@code job('name') { … }} */
    @DslWord
    public void job(String name, @DelegatesTo(value = JobSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        if (evaluation.draft.jobs.size() >= evaluation.limits.maxJobs()) {
            throw evaluation.stop("more than " + evaluation.limits.maxJobs() + " jobs in one Jobfile");
        }
        JobDraft job = new JobDraft();
        job.pos = evaluation.pos();
        job.name = evaluation.collect(name);
        if (name == null) {
            evaluation.error("a job needs a name: job('name') { … }");
            job.name = "";
        }
        evaluation.draft.jobs.add(job);
        DslDelegate.runIn(body, new JobSpec(evaluation, job));
    }
}
