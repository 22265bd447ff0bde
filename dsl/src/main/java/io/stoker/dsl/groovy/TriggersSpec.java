package io.stoker.dsl.groovy;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The words of a {@code triggers { … }} block. */
@DslNoun("triggers")
public final class TriggersSpec extends DslDelegate {

    private static final List<String> PUSH_OPTIONS = List.of("branches", "tags", "paths", "pathsIgnore");
    private static final List<String> AFTER_OPTIONS = List.of("parameters");
    private static final List<String> WEBHOOK_OPTIONS = List.of("token", "params");

    private final JobDraft job;

    TriggersSpec(Evaluation evaluation, JobDraft job) {
        super(evaluation);
        this.job = job;
    }

    /** A push to any branch. */
    @DslWord
    public void push() {
        job.pushTriggers.add(new JobDraft.PushDraft(List.of(), here()));
    }

    /**
     * {@code push branches: ['main', 'release/*'], paths: ['services/api/**'], pathsIgnore: ['docs/**']}, or
     * {@code push tags: ['v*']} (a tag push; with only {@code tags}, branch pushes do not start the job).
     */
    @DslWord
    public void push(Map<String, ?> options) {
        unknownOptions(options, "push", PUSH_OPTIONS);
        List<String> branches = patterns(options, "branches", "branch names", "branches: ['main']");
        var at = here();
        List<Located<String>> tags = patterns(options, "tags", "tag names", "tags: ['v*']").stream()
                .map(t -> new Located<>(t, at)).toList();
        List<Located<String>> paths = patterns(options, "paths", "file globs",
                "paths: ['services/api/**']").stream().map(p -> new Located<>(p, at)).toList();
        List<Located<String>> ignored = patterns(options, "pathsIgnore", "file globs",
                "pathsIgnore: ['docs/**']").stream().map(p -> new Located<>(p, at)).toList();
        job.pushTriggers.add(new JobDraft.PushDraft(branches, tags, paths, ignored, at));
    }

    private List<String> patterns(Map<String, ?> options, String option, String what, String example) {
        Object given = Values.plain(options.get(option), evaluation());
        List<String> patterns = new ArrayList<>();
        if (given instanceof List<?> list) {
            for (Object b : list) {
                String t = Values.text(b);
                if (t == null) {
                    evaluation().error("push " + option + ": takes " + what + ", not " + Values.describe(b));
                } else {
                    patterns.add(t);
                }
            }
        } else if (given instanceof String one) {
            patterns.add(one);
        } else if (given != null) {
            evaluation().error("push " + option + ": takes a list of " + what + ", e.g. " + example);
        }
        return List.copyOf(patterns);
    }

    /** {@code webhook token: 'HOOK_TOKEN', params: [TAG: '$.push_data.tag']}: a generic webhook starts the job. */
    @DslWord
    public void webhook(Map<String, ?> options) {
        unknownOptions(options, "webhook", WEBHOOK_OPTIONS);
        String token = Values.text(Values.plain(options.get("token"), evaluation()));
        if (options.get("token") != null && token == null) {
            evaluation().error("webhook token: takes the name of a secret, e.g. token: 'HOOK_TOKEN'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Object given = Values.plain(options.get("params"), evaluation());
        if (given instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String path = Values.text(v);
                if (path == null) {
                    evaluation().error("webhook params: the JSONPath for '" + k + "' must be text, not "
                            + Values.describe(v));
                } else {
                    params.put(String.valueOf(k), path);
                }
            });
        } else if (given != null) {
            evaluation().error("webhook params: takes a map of parameter name to JSONPath, e.g. params: [TAG: '$.tag']");
        }
        job.webhookTriggers.add(new JobDraft.WebhookDraft(token, java.util.Collections.unmodifiableMap(params), here()));
    }

    @DslWord
    public void cron(String schedule) {
        job.cronTriggers.add(located(text(schedule, "cron")));
    }

    @DslWord
    public void poll(String schedule) {
        job.pollTriggers.add(located(text(schedule, "poll")));
    }

    /** Runs this job after another job succeeded. */
    @DslWord
    public void after(String jobName) {
        after(Map.of(), jobName);
    }

    /** {@code after 'other-job', parameters: [X: 'y']} */
    @DslWord
    public void after(Map<String, ?> options, String jobName) {
        unknownOptions(options, "after", AFTER_OPTIONS);
        Map<String, String> parameters = new LinkedHashMap<>();
        Object given = options.get("parameters");
        if (given instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String value = Values.text(v);
                if (value == null) {
                    evaluation().error("after parameters: value for '" + k + "' must be text, not "
                            + Values.describe(v));
                } else {
                    parameters.put(evaluation().collect(String.valueOf(k)), evaluation().collect(value));
                }
            });
        } else if (given != null) {
            evaluation().error("after parameters: takes a map, e.g. parameters: [X: 'y']");
        }
        job.afterTriggers.add(new JobDraft.AfterDraft(text(jobName, "after"), java.util.Collections.unmodifiableMap(parameters), here()));
    }
}
