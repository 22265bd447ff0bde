package io.stoker.dsl.groovy;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.NotifyDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;

import java.util.List;
import java.util.Map;

/** The words of a {@code job('name') { … }} block. */
@DslNoun("job")
public final class JobSpec extends DslDelegate {

    private static final List<String> PUBLISH_OPTIONS = List.of("version", "keepLast", "keepDays");

    private final JobDraft job;

    JobSpec(Evaluation evaluation, JobDraft job) {
        super(evaluation);
        this.job = job;
    }

    @DslWord
    public void description(String text) {
        job.description = text(text, "description");
    }

    @DslWord
    public void parameters(@DelegatesTo(value = ParametersSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        runIn(body, new ParametersSpec(evaluation(), job));
    }

    /** {@code env NAME: 'value', …}; several calls merge. */
    @DslWord
    public void env(Map<?, ?> values) {
        putEnv(values, job.env);
    }

    /** Secrets every task of the job may read. */
    @DslWord
    public void secrets(String... names) {
        for (String name : texts(names, "secrets")) {
            job.secrets.add(located(name));
        }
    }

    @DslWord
    public void secrets(List<?> names) {
        for (String name : texts(names.toArray(), "secrets")) {
            job.secrets.add(located(name));
        }
    }

    /** Grants the secret to the job and returns the template {@code ${{ secrets.NAME }}}. */
    @DslWord
    public String secret(String name) {
        return grantSecret(name, job.secrets);
    }

    @DslWord
    public void timeout(Map<String, ?> amount) {
        job.timeoutMillis = millis(amount);
    }

    /** {@code timeout '2h'} ({@code '1h30m'}, {@code '90s'}), as GitLab writes a pipeline's timeout. */
    @DslWord
    public void timeout(String duration) {
        job.timeoutMillis = millis(duration);
    }

    @DslWord
    public void agent(String labels) {
        job.agent = located(text(labels, "agent"));
    }

    /** {@code image 'debian:12'}: every task runs in this image unless it names its own. */
    @DslWord
    public void image(String reference) {
        job.image = located(text(reference, "image"));
    }

    /** The default pull policy of the job's tasks: {@code 'always'}, {@code 'if-not-present'} or {@code 'never'}. */
    @DslWord
    public void pull(String policy) {
        job.pull = located(text(policy, "pull"));
    }

    /** {@code registryCredentials 'REGISTRY_BOT'}: the secret ({@code user:password}) its tasks' images are pulled with. */
    @DslWord
    public void registryCredentials(String secret) {
        job.registryCredentials = located(text(secret, "registryCredentials"));
    }

    /** A long, so that {@code concurrency 99999999999} is told its range rather than that it is no number. */
    @DslWord
    public void concurrency(long runs) {
        job.concurrency = located(runs);
    }

    @DslWord
    public void retryOnRestart(boolean value) {
        job.retryOnRestart = value;
    }

    @DslWord
    public void retryOnRestart() {
        retryOnRestart(true);
    }

    /**
     * A push's (or a pull request's) new run cancels the job's older runs of the same branch (or pull request) that
     * are still queued or going: only the newest commit is worth building (GitLab's interruptible pipelines).
     */
    @DslWord
    public void cancelSuperseded(boolean value) {
        job.cancelSuperseded = value;
    }

    @DslWord
    public void cancelSuperseded() {
        cancelSuperseded(true);
    }

    /** Starts a run of the job whenever the server starts. */
    @DslWord
    public void runOnStartup(boolean value) {
        job.runOnStartup = value;
    }

    @DslWord
    public void runOnStartup() {
        runOnStartup(true);
    }

    /** {@code publish version: '${{ outputs.build.version }}', keepLast: 10, keepDays: 30}; every option optional. */
    @DslWord
    public void publish(Map<String, ?> options) {
        unknownOptions(options, "publish", PUBLISH_OPTIONS);
        Object version = options == null ? null : options.get("version");
        job.publish = new JobDraft.PublishDraft(version == null ? null : located(text(version, "publish version")),
                count(options, "keepLast"), count(options, "keepDays"), here());
    }

    /** {@code publish()}: the run number as version, every version kept. */
    @DslWord
    public void publish() {
        publish(Map.of());
    }

    private Located<Integer> count(Map<String, ?> options, String option) {
        Object value = options == null ? null : options.get(option);
        if (value == null) return null;
        return wholeNumber(value, "publish " + option, "");
    }

    @DslWord
    public void triggers(@DelegatesTo(value = TriggersSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        runIn(body, new TriggersSpec(evaluation(), job));
    }

    /** {@code notify { on 'failed', 'fixed'; email '…'; ntfy '…'; slack '…'; webhook status: '…', logs: '…' }}; several blocks add up.
     * Named {@link DslWord#NOTIFY} in Java: the compiler renames the written {@code notify} to it. */
    @DslWord
    public void notify$(@DelegatesTo(value = NotifySpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        NotifyDraft notify = new NotifyDraft();
        notify.pos = here();
        job.notify.add(notify);
        runIn(body, new NotifySpec(evaluation(), notify));
    }

    /** {@code task('name') { … }} */
    @DslWord
    public void task(String name, @DelegatesTo(value = TaskSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        Evaluation evaluation = evaluation();
        if (job.tasks.size() >= evaluation.limits.maxTasksPerJob()) {
            throw evaluation.stop("more than " + evaluation.limits.maxTasksPerJob() + " tasks in job '" + job.name + "'");
        }
        TaskDraft task = new TaskDraft();
        task.pos = here();
        task.name = text(name, "task");
        if (task.name == null) {
            evaluation.error("a task needs a name: task('name') { … }");
            task.name = "";
        }
        job.tasks.add(task);
        runIn(body, new TaskSpec(evaluation, task));
    }
}
