package io.stoker.dsl.groovy;

import io.stoker.dsl.draft.DeployDraft;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;

import java.util.List;
import java.util.Map;

/** The words of a {@code deploy('name') { … }} block; validation checks what they say together. */
@DslNoun("deploy")
public final class DeploySpec extends DslDelegate {

    private static final List<String> HEALTHCHECK_OPTIONS = List.of("within");

    private final DeployDraft target;

    DeploySpec(Evaluation evaluation, DeployDraft target) {
        super(evaluation);
        this.target = target;
    }

    /** {@code agent 'web-1'}: the agent (name or label expression) it runs on; absent: the server's machine. */
    @DslWord
    public void agent(String labels) {
        target.agent = located(text(labels, "agent"));
    }

    /** {@code run 'java -jar {file}'}: the command that runs the version. Named {@link DslWord#RUN} in Java: the
     * compiler renames the written {@code run} to it. */
    @DslWord
    public void run$(String command) {
        target.run = located(text(command, "run"));
    }

    /** {@code file 'app-*.jar'}: which of the version's files {@code {file}} and {@code $STOKER_ARTIFACT} name. */
    @DslWord
    public void file(String glob) {
        target.file = located(text(glob, "file"));
    }

    /** {@code healthcheck 'curl -fsS localhost:8081/health'}: the service works once it exits 0 (within 60 s). */
    @DslWord
    public void healthcheck(String command) {
        healthcheck(Map.of(), command);
    }

    /** {@code healthcheck 'curl -fsS localhost:8081/health', within: 60}: seconds it may take to pass. */
    @DslWord
    public void healthcheck(Map<String, ?> options, String command) {
        unknownOptions(options, "healthcheck", HEALTHCHECK_OPTIONS);
        target.healthcheck = located(text(command, "healthcheck"));
        Object within = options == null ? null : options.get("within");
        if (within != null) {
            target.within = wholeNumber(within, "healthcheck within", " of seconds");
        }
    }
}
