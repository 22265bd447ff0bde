package io.stoker.dsl.groovy;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.dsl.groovy.sandbox.ApprovalHint;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;
import io.stoker.model.Step;

import java.util.List;
import java.util.Map;

/** The words of a {@code task('name') { … }} block. */
@DslNoun("task")
public final class TaskSpec extends DslDelegate {

    private static final List<String> INPUT_OPTIONS = List.of("from");
    private static final List<String> TRIGGER_OPTIONS = List.of("parameters", "wait");
    private static final List<String> BUILD_IMAGE_OPTIONS = List.of("context", "file", "push", "credentials");
    private static final List<String> PUBLISH_IMAGE_OPTIONS = List.of("from", "base", "entrypoint", "push", "credentials");
    private static final List<String> APPROVAL_OPTIONS = List.of("approvers", "timeout");
    private static final List<String> ARTIFACTS_OPTIONS = List.of("when");
    private static final List<String> CACHE_OPTIONS = List.of("key", "files");

    private final TaskDraft task;

    TaskSpec(Evaluation evaluation, TaskDraft task) {
        super(evaluation);
        this.task = task;
    }

    /** One step: a shell script, or any interpreter named by a {@code #!} first line. */
    @DslWord
    public void sh(String script) {
        Evaluation evaluation = evaluation();
        if (script != null && script.length() > evaluation.limits.maxStepChars()) {
            throw evaluation.stop("an sh step is longer than " + evaluation.limits.maxStepChars() / 1024 + " KiB");
        }
        String text = text(script, "sh");
        task.stepWritten = true;
        if (text == null) {
            evaluation.error("sh needs a script: sh 'make'");
            return;
        }
        task.steps.add(new Step.Sh(text, here()));
    }

    /** {@code trigger 'deploy'}: runs another job and waits for it to succeed. */
    @DslWord
    public void trigger(String jobName) {
        trigger(Map.of(), jobName);
    }

    /**
     * {@code trigger 'deploy', parameters: [VERSION: '${{ outputs.version.version }}'], wait: false}: parameter
     * values are templates rendered when the step runs; {@code wait} (default true) waits for the triggered run
     * and fails the step unless it succeeded.
     */
    @DslWord
    public void trigger(Map<String, ?> options, String jobName) {
        Evaluation evaluation = evaluation();
        unknownOptions(options, "trigger", TRIGGER_OPTIONS);
        String name = text(jobName, "trigger");
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        Object given = options.get("parameters");
        if (given instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String value = Values.text(v);
                if (value == null) {
                    evaluation.error("trigger parameters: value for '" + k + "' must be text, not " + Values.describe(v));
                } else {
                    parameters.put(evaluation.collect(String.valueOf(k)), evaluation.collect(value));
                }
            });
        } else if (given != null) {
            evaluation.error("trigger parameters: takes a map, e.g. parameters: [VERSION: '1.2']");
        }
        boolean wait = true;
        Object waitOption = options.get("wait");
        if (waitOption instanceof Boolean b) {
            wait = b;
        } else if (waitOption != null) {
            evaluation.error("trigger wait: takes true or false, not " + Values.describe(waitOption));
        }
        if (name == null) {
            evaluation.error("trigger needs the job to run: trigger 'deploy'");
            return;
        }
        task.steps.add(new Step.Trigger(name, parameters, wait, here()));
    }

    /**
     * {@code buildImage context: '.', file: 'Containerfile', push: 'host/org/app:${{ run.number }}', credentials: 'bot'}:
     * builds with the host's engine and pushes; {@code credentials} names a secret holding {@code user:password}.
     */
    @DslWord
    public void buildImage(Map<String, ?> options) {
        Evaluation evaluation = evaluation();
        unknownOptions(options, "buildImage", BUILD_IMAGE_OPTIONS);
        String context = options.containsKey("context") ? text(options.get("context"), "buildImage context") : ".";
        String file = options.containsKey("file") ? text(options.get("file"), "buildImage file") : "Containerfile";
        String push = options.containsKey("push") ? text(options.get("push"), "buildImage push") : null;
        String credentials = options.containsKey("credentials") ? text(options.get("credentials"), "buildImage credentials") : null;
        if (push == null) {
            evaluation.error("buildImage needs where to push: buildImage push: 'registry.example:5000/org/app:1'");
            return;
        }
        task.steps.add(new Step.BuildImage(context, file, evaluation.collect(push), credentials, here()));
    }

    /**
     * {@code publishImage from: 'dist/**', base: 'eclipse-temurin:21-jre', entrypoint: ['java', '-jar', '/app/dist/app.jar'],
     * push: '…'}: puts the matched files under {@code /app} on the base (or {@code scratch}) without any engine.
     */
    @DslWord
    public void publishImage(Map<String, ?> options) {
        Evaluation evaluation = evaluation();
        unknownOptions(options, "publishImage", PUBLISH_IMAGE_OPTIONS);
        String from = options.containsKey("from") ? text(options.get("from"), "publishImage from") : null;
        String base = options.containsKey("base") ? text(options.get("base"), "publishImage base") : "scratch";
        String push = options.containsKey("push") ? text(options.get("push"), "publishImage push") : null;
        String credentials = options.containsKey("credentials") ? text(options.get("credentials"), "publishImage credentials") : null;
        List<String> entrypoint = new java.util.ArrayList<>();
        Object given = options.get("entrypoint");
        if (given instanceof List<?> list) {
            for (Object o : list) {
                String s = Values.text(o);
                if (s == null) evaluation.error("publishImage entrypoint: items must be text, not " + Values.describe(o));
                else entrypoint.add(s);
            }
        } else if (given != null) {
            evaluation.error("publishImage entrypoint: takes a list, e.g. entrypoint: ['java', '-jar', '/app/app.jar']");
        }
        if (from == null || push == null) {
            evaluation.error("publishImage needs from and push: publishImage from: 'dist/**', push: 'registry.example:5000/org/app:1'");
            return;
        }
        task.steps.add(new Step.PublishImage(from, base, entrypoint, evaluation.collect(push), credentials, here()));
    }

    /** Tasks that must succeed first; several calls add. */
    @DslWord
    public void needs(String... names) {
        add(texts(names, "needs"), task.needs);
    }

    @DslWord
    public void needs(List<?> names) {
        add(texts(names.toArray(), "needs"), task.needs);
    }

    /** {@code input from: 'gen'}: stdin streams from that task's stdout. */
    @DslWord(textOption = "from")
    public void input(Map<String, ?> options) {
        if (options.containsKey("message") && !options.containsKey("from")) {
            jenkinsInput(options);
            return;
        }
        boolean unknown = unknownOptions(options, "input", INPUT_OPTIONS);
        Object from = options.get("from");
        if (from == null) {
            if (unknown) {
                return;
            }
            evaluation().error("input needs a writer: input from: 'task'");
            return;
        }
        String name = text(from, "input from");
        if (name != null) {
            task.inputs.add(located(name));
        }
    }

    /** {@code input message: 'Deploy?', submitter: 'alice,bob'}: Jenkins' approval prompt, one error for the whole call. */
    private void jenkinsInput(Map<String, ?> options) {
        String message = Values.text(options.get("message"));
        String question = message == null || message.chars().anyMatch(c -> c == '\'' || c == '\\' || c < ' ')
                ? "…" : message;
        String submitter = Values.text(options.get("submitter"));
        List<String> approvers = submitter == null ? List.of()
                : java.util.Arrays.stream(submitter.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
        evaluation().error("unknown option 'message' for input — " + ApprovalHint.write(question, approvers));
    }

    @DslWord
    public void artifacts(String... globs) {
        add(texts(globs, "artifacts"), task.artifacts);
    }

    @DslWord
    public void artifacts(List<?> globs) {
        add(texts(globs.toArray(), "artifacts"), task.artifacts);
    }

    /**
     * {@code testReports 'build/test-results/**}{@code /*.xml'}: JUnit XML files read when the task's steps end,
     * succeeded or failed (Jenkins' {@code junit}, GitLab's {@code artifacts:reports:junit}).
     */
    @DslWord
    public void testReports(String... globs) {
        add(texts(globs, "testReports"), task.testReports);
    }

    @DslWord
    public void testReports(List<?> globs) {
        add(texts(globs.toArray(), "testReports"), task.testReports);
    }

    /**
     * {@code artifacts 'reports/**', when: 'always'}: when they are collected, {@code on-success} (the default),
     * {@code on-failure} or {@code always} (checked by validation, where YAML's word is checked too).
     */
    @DslWord
    public void artifacts(Map<String, ?> options, String glob, String... more) {
        // the first pattern apart: Groovy's type checker would bind (a map, text, …) to artifacts(String...) otherwise
        artifactsWhen(options, 1);
        artifacts(glob);
        artifacts(more);
    }

    @DslWord
    public void artifacts(Map<String, ?> options, List<?> globs) {
        artifactsWhen(options, globs == null ? 0 : globs.size());
        if (globs != null) artifacts(globs);
    }

    /** Options without patterns: told what is missing rather than that the word was given the wrong arguments. */
    @DslWord
    public void artifacts(Map<String, ?> options) {
        artifactsWhen(options, 0);
    }

    private void artifactsWhen(Map<String, ?> options, int globs) {
        Evaluation evaluation = evaluation();
        if (options.containsKey("paths")) { // YAML's (and GitLab's) shape, which Groovy writes as plain arguments
            evaluation.error("artifacts takes its patterns as they are, not as paths: — write artifacts 'reports/**', "
                    + "when: 'always'");
            return;
        }
        if (unknownOptions(options, "artifacts", ARTIFACTS_OPTIONS)) return;
        if (globs == 0) {
            evaluation.error("artifacts needs the files to collect: artifacts 'reports/**', when: 'always'");
            return;
        }
        if (!options.containsKey("when")) return;
        Object given = options.get("when");
        String when = Values.text(given);
        if (when == null) {
            evaluation.error("artifacts when: takes 'on-success', 'on-failure' or 'always', not "
                    + Values.describe(given));
            return;
        }
        when = evaluation.collect(when);
        if (task.artifactsWhen != null && !task.artifactsWhen.value().equals(when)) {
            evaluation.error("task '" + task.name + "' says artifacts when: '" + task.artifactsWhen.value()
                    + "' already; one when: holds for all its artifacts");
            return;
        }
        task.artifactsWhen = located(when);
    }

    /**
     * {@code cache 'node_modules', '.m2/repository'}: directories kept between runs under the task's name, restored
     * before its first step and saved after it succeeded when the key had no cache yet.
     */
    @DslWord
    public void cache(String... paths) {
        cache(Map.of(), paths == null ? List.of() : java.util.Arrays.asList((Object[]) paths));
    }

    @DslWord
    public void cache(List<?> paths) {
        cache(Map.of(), paths);
    }

    /**
     * {@code cache 'node_modules', key: 'deps', files: ['package-lock.json']}: {@code key} names the cache (default
     * the task's name); the contents of the {@code files} (globs) hash into it, so a changed lock file makes a new one.
     */
    @DslWord
    public void cache(Map<String, ?> options, String path, String... more) {
        // the first path apart, as artifacts does: the type checker would bind (a map, text, …) to cache(String...)
        var paths = new java.util.ArrayList<Object>();
        paths.add(path);
        if (more != null) paths.addAll(java.util.Arrays.asList((Object[]) more));
        cache(options, paths);
    }

    @DslWord
    public void cache(Map<String, ?> options, List<?> paths) {
        Evaluation evaluation = evaluation();
        if (unknownOptions(options, "cache", CACHE_OPTIONS)) return;
        List<String> written = texts(paths == null ? null : paths.toArray(), "cache");
        if (written.isEmpty()) {
            evaluation.error("cache needs the directories to keep: cache 'node_modules', key: 'deps', "
                    + "files: ['package-lock.json']");
            return;
        }
        if (task.cache != null) {
            evaluation.error("task '" + task.name + "' has a cache already; list all its paths in one cache");
            return;
        }
        Located<String> key = options.containsKey("key") ? located(text(options.get("key"), "cache key")) : null;
        List<String> files = List.of();
        Object given = options.get("files");
        if (given instanceof List<?> list) files = texts(list.toArray(), "cache files");
        else if (given != null) files = texts(new Object[]{given}, "cache files");
        task.cache = new io.stoker.dsl.draft.CacheDraft(written.stream().map(this::located).toList(), key,
                files.stream().map(this::located).toList(), here());
    }

    /** Options without paths: told what is missing rather than that the word was given the wrong arguments. */
    @DslWord
    public void cache(Map<String, ?> options) {
        cache(options, List.of());
    }

    /** A long, so that {@code retry 99999999999} is told its range rather than that it is no number. */
    @DslWord
    public void retry(long times) {
        task.retry = located(times);
    }

    /**
     * {@code allowFailure true}: when every attempt fails or times out, the task is recorded as an allowed failure and
     * the run goes on as if it had succeeded (GitLab's {@code allow_failure}, GitHub's {@code continue-on-error}).
     */
    @DslWord
    public void allowFailure(boolean allowed) {
        task.allowFailure = located(allowed);
    }

    /** {@code allowFailure()} means {@code allowFailure true}. */
    @DslWord
    public void allowFailure() {
        allowFailure(true);
    }

    @DslWord
    public void timeout(Map<String, ?> amount) {
        task.timeoutMillis = millis(amount);
    }

    /** {@code timeout '30m'} ({@code '1h30m'}, {@code '90s'}), as GitLab writes a job's timeout. */
    @DslWord
    public void timeout(String duration) {
        task.timeoutMillis = millis(duration);
    }

    /** A condition in the expression language, evaluated by the engine, never by Groovy. */
    @DslWord
    public void when(String condition) {
        task.when = located(text(condition, "when"));
    }

    /** {@code approval 'Deploy to prod?'}: the run waits here for anyone who may change it to approve or reject. */
    @DslWord
    public void approval(String question) {
        approval(Map.of(), question);
    }

    /** Options without a question: reported as such rather than as an unknown word. */
    @DslWord
    public void approval(Map<String, ?> options) {
        approval(options, null);
    }

    /**
     * {@code approval 'Deploy to prod?', approvers: ['alice', 'admin'], timeout: '2h'}: the run waits before this
     * task's first step until one of the approvers (user or role names) decides; the timeout (default 24h) rejects.
     */
    @DslWord
    public void approval(Map<String, ?> options, String question) {
        Evaluation evaluation = evaluation();
        unknownOptions(options, "approval", APPROVAL_OPTIONS);
        String text = text(question, "approval");
        var approvers = new java.util.ArrayList<Located<String>>();
        Object given = options.get("approvers");
        if (given instanceof List<?> list) {
            texts(list.toArray(), "approvers").forEach(a -> approvers.add(located(a)));
        } else if (given != null && Values.text(given) != null) {
            approvers.add(located(text(given, "approvers")));
        } else if (given != null) {
            evaluation.error("approval approvers: takes a list of user or role names, e.g. approvers: ['alice', 'admin']");
        }
        Object timeout = options.get("timeout");
        Located<String> limit = null;
        if (timeout != null) {
            String t = Values.text(timeout);
            if (t == null) evaluation.error("approval timeout: takes text like '2h', '30m' or '1h30m', not "
                    + Values.describe(timeout));
            else limit = located(evaluation.collect(t));
        }
        if (text == null) {
            evaluation.error("approval needs a question: approval 'Deploy to prod?'");
            return;
        }
        if (task.approval != null) {
            evaluation.error("task '" + task.name + "' has an approval already; a task has at most one");
            return;
        }
        task.approval = new io.stoker.dsl.draft.ApprovalDraft(text, approvers, limit, here());
    }

    @DslWord
    public void agent(String labels) {
        task.agent = located(text(labels, "agent"));
    }

    /**
     * {@code image 'eclipse-temurin:21'}: the steps run in one container of that image (the workspace mounted);
     * {@code image null}: on the host, whatever image the job names.
     */
    @DslWord
    public void image(String reference) {
        task.image = located(text(reference, "image"));
    }

    /** {@code pull 'always'} (or {@code 'if-not-present'}, the default, or {@code 'never'}). */
    @DslWord
    public void pull(String policy) {
        task.pull = located(text(policy, "pull"));
    }

    /** {@code registryCredentials 'REGISTRY_BOT'}: the secret ({@code user:password}) its images are pulled with. */
    @DslWord
    public void registryCredentials(String secret) {
        task.registryCredentials = located(text(secret, "registryCredentials"));
    }

    /** {@code privileged true}: the container runs with {@code --privileged} (a project admin must allow host access). */
    @DslWord
    public void privileged(boolean on) {
        task.privileged = located(on);
    }

    /** {@code network 'host'}: the container shares the host's network (a project admin must allow host access). */
    @DslWord
    public void network(String mode) {
        task.network = located(text(mode, "network"));
    }

    /** {@code mount '/srv/cache'}: a host directory mounted at the same path (a project admin must allow host access). */
    @DslWord
    public void mount(String hostPath) {
        task.mounts.add(located(text(hostPath, "mount")));
    }

    /** {@code services { postgres image: 'postgres:16', ready: 'pg_isready -U postgres' } }: started before the steps. */
    @DslWord
    public void services(@DelegatesTo(value = ServicesSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        runIn(body, new ServicesSpec(evaluation(), task));
    }

    @DslWord
    public void env(Map<?, ?> values) {
        putEnv(values, task.env);
    }

    @DslWord
    public void secrets(String... names) {
        add(texts(names, "secrets"), task.secrets);
    }

    @DslWord
    public void secrets(List<?> names) {
        add(texts(names.toArray(), "secrets"), task.secrets);
    }

    /** Grants the secret to the task and returns the template {@code ${{ secrets.NAME }}}. */
    @DslWord
    public String secret(String name) {
        return grantSecret(name, task.secrets);
    }

    /**
     * {@code matrix jdk: ['17', '21'], db: ['h2', 'pg']}: one task per combination; {@code exclude: [[jdk: '17',
     * db: 'pg']]} (maps, as in GitHub Actions and Jenkins' {@code excludes}) leaves out the cells it matches.
     */
    @DslWord
    public void matrix(Map<String, ?> axes) {
        Evaluation evaluation = evaluation();
        if (axes.isEmpty()) {
            evaluation.error("a matrix needs at least one axis, e.g. matrix jdk: ['17', '21']");
            return;
        }
        axes.forEach((axis, values) -> {
            String name = evaluation.collect(String.valueOf(axis));
            Object plain = Values.plain(values, evaluation);
            if ("exclude".equals(name) && io.stoker.dsl.validate.MatrixExclusions.isExclusions(plain)) {
                task.matrixExclude = located(plain);
            } else if (plain instanceof List<?> list) {
                task.matrix.put(name, located(List.copyOf(list.stream().map(v -> v == null ? (Object) "null" : v)
                        .toList())));
            } else {
                evaluation.error("matrix axis '" + name + "' needs a list of values, e.g. " + name + ": ['a', 'b']");
            }
        });
    }

    private void add(List<String> values, List<Located<String>> into) {
        for (String value : values) {
            into.add(located(value));
        }
    }
}
