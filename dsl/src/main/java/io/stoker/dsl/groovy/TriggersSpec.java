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

    private static final List<String> PUSH_OPTIONS = List.of("branches", "paths", "pathsIgnore");
    private static final List<String> AFTER_OPTIONS = List.of("parameters");

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

    /** {@code push branches: ['main', 'release/*'], paths: ['services/api/**'], pathsIgnore: ['docs/**']} */
    @DslWord
    public void push(Map<String, ?> options) {
        unknownOptions(options, "push", PUSH_OPTIONS);
        List<String> branches = patterns(options, "branches", "branch names", "branches: ['main']");
        var at = here();
        List<Located<String>> paths = patterns(options, "paths", "file globs",
                "paths: ['services/api/**']").stream().map(p -> new Located<>(p, at)).toList();
        List<Located<String>> ignored = patterns(options, "pathsIgnore", "file globs",
                "pathsIgnore: ['docs/**']").stream().map(p -> new Located<>(p, at)).toList();
        job.pushTriggers.add(new JobDraft.PushDraft(branches, paths, ignored, at));
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
