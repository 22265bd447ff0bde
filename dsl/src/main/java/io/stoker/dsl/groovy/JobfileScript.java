package io.stoker.dsl.groovy;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import io.stoker.dsl.draft.DeployDraft;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;
import io.stoker.dsl.groovy.sandbox.PositionMark;

/** The base class of every compiled Jobfile: its top level knows two words, {@code job} and {@code deploy}. */
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

    /** {@code deploy('staging') { run '…'; file '…'; healthcheck '…', within: 60; agent '…' }} */
    @DslWord
    public void deploy(String name, @DelegatesTo(value = DeploySpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        if (evaluation.draft.deploys.size() >= evaluation.limits.maxJobs()) {
            throw evaluation.stop("more than " + evaluation.limits.maxJobs() + " deploy targets in one Jobfile");
        }
        DeployDraft target = new DeployDraft();
        target.pos = evaluation.pos();
        target.name = evaluation.collect(name);
        if (name == null) {
            evaluation.error("a deploy target needs a name: deploy('staging') { … }");
            target.name = "";
        }
        evaluation.draft.deploys.add(target);
        DslDelegate.runIn(body, new DeploySpec(evaluation, target));
    }
}
