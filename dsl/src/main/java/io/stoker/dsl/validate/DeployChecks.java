package io.stoker.dsl.validate;

import io.stoker.dsl.draft.DeployDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.glob.PathGlob;
import io.stoker.model.DeployTarget;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code deploy} targets: a usable, unique name; a run command; a usable file glob, which {@code {file}} needs;
 * a healthcheck window of 1 to {@value DeployTarget#MAX_WITHIN_SECONDS} seconds, given only with a healthcheck.
 */
final class DeployChecks {
    /** Where a deploy target's {@code ${{ }}} parts are read, as {@link Scope#task()} names it. */
    static final String WHERE = "deploy target";
    /** A deployment's run has no parameters, no outputs of other tasks and no secrets: only run properties and env. */
    private static final Scope SCOPE = new Scope(WHERE, Set.of(), null, Set.of(), Set.of(), Set.of());

    private DeployChecks() {
    }

    /** {@code expressions} checks the {@code ${{ }}} parts of the commands, as a task's {@code sh} is checked. */
    static List<DeployTarget> check(List<DeployDraft> drafts, ExpressionChecks expressions, Problems problems) {
        var targets = new ArrayList<DeployTarget>();
        Set<String> seen = new HashSet<>();
        for (DeployDraft d : drafts) {
            String where = "deploy target '" + d.name + "'";
            if (!DeployTarget.NAME.matcher(d.name).matches()) {
                problems.error(d.pos, "deploy target name '" + d.name + "' must start with a letter or digit and hold "
                        + "only letters, digits, '.', '_', '-' (at most 64)");
            } else if (!seen.add(d.name)) {
                problems.error(d.pos, "deploy target '" + d.name + "' is declared twice");
            }
            String run = value(d.run);
            if (run == null || run.isBlank()) {
                problems.error(d.run == null ? d.pos : d.run.pos(), where + " needs a command: run 'java -jar {file}'");
            }
            String file = value(d.file);
            if (file != null) {
                PathGlob.problem(file).ifPresent(why -> problems.error(d.file.pos(), where + " file: " + why));
            } else if (run != null && run.contains(DeployTarget.FILE_PLACEHOLDER)) {
                problems.error(d.run.pos(), where + " runs {file} but names no file: add file 'app-*.jar'");
            }
            if (run != null) expressions.template(run, d.run.pos(), where + " run", SCOPE);
            String healthcheck = value(d.healthcheck);
            if (healthcheck != null) expressions.template(healthcheck, d.healthcheck.pos(), where + " healthcheck", SCOPE);
            if (d.healthcheck != null && (healthcheck == null || healthcheck.isBlank())) {
                problems.error(d.healthcheck.pos(), where + " healthcheck is empty");
            }
            Integer within = value(d.within);
            if (within != null && d.healthcheck == null) {
                problems.error(d.within.pos(), where + " has a healthcheck window (within) but no healthcheck");
            } else if (within != null && (within < 1 || within > DeployTarget.MAX_WITHIN_SECONDS)) {
                problems.error(d.within.pos(), where + " healthcheck within: must be 1 to "
                        + DeployTarget.MAX_WITHIN_SECONDS + " seconds, got " + within);
            }
            LabelChecks.agent(d.agent, where, problems);
            targets.add(new DeployTarget(d.name, value(d.agent), run, file, healthcheck,
                    within == null ? DeployTarget.DEFAULT_WITHIN_SECONDS : within, d.pos));
        }
        return targets;
    }

    private static <T> T value(Located<T> located) {
        return located == null ? null : located.value();
    }
}
