package io.stoker.dsl.draft;

import io.stoker.model.Pos;
import io.stoker.model.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task as written, before matrix expansion. Null means "not given". */
public final class TaskDraft {
    public String name;
    public Pos pos = Pos.NONE;
    /**
     * Whether the front end has told already that this name repeats an earlier one (a YAML or JSON duplicate key,
     * read all the same so that what is wrong inside it is told too): the name checks do not tell it again.
     */
    public boolean repeatTold;
    public final List<Step> steps = new ArrayList<>();
    /**
     * Whether a step was written, read or not: a step refused where it is written (a number given to {@code sh})
     * has said so, and the task is not told again that it has none.
     */
    public boolean stepWritten;
    public final List<Located<String>> needs = new ArrayList<>();
    /** Pipe writers named by {@code input from:}; validation allows one. */
    public final List<Located<String>> inputs = new ArrayList<>();
    public final Map<String, Located<String>> env = new LinkedHashMap<>();
    public final List<Located<String>> secrets = new ArrayList<>();
    public final List<Located<String>> artifacts = new ArrayList<>();
    /** {@code on-success}, {@code on-failure} or {@code always} as written, null when not given (on success). */
    public Located<String> artifactsWhen;
    /** Globs of the JUnit XML files its steps write ({@code testReports}). */
    public final List<Located<String>> testReports = new ArrayList<>();
    /** {@code cache 'node_modules', key: 'deps', files: ['package-lock.json']}; null when not written. */
    public CacheDraft cache;
    public Located<Long> retry;
    public Located<Long> timeoutMillis;
    /** {@code allowFailure true}: its failure does not fail the run; null when not written. */
    public Located<Boolean> allowFailure;
    public Located<String> when;
    public Located<String> agent;
    /** The approval gate; a second one is reported where it is written. */
    public ApprovalDraft approval;
    /** The image its steps run in, null for the job's default. */
    public Located<String> image;
    /** {@code always}, {@code if-not-present} or {@code never}, null for the job's default. */
    public Located<String> pull;
    /** The secret holding {@code user:password} for pulling its images, null for the job's. */
    public Located<String> registryCredentials;
    /** {@code privileged true}, null when not written. */
    public Located<Boolean> privileged;
    /** {@code network 'host'}, null when not written. */
    public Located<String> network;
    /** {@code mount '/srv/cache'}: host directories mounted at the same path. */
    public final List<Located<String>> mounts = new ArrayList<>();
    public final List<ServiceDraft> services = new ArrayList<>();
    /** Axis name to its values as written (validation checks they are scalars). */
    public final Map<String, Located<List<Object>>> matrix = new LinkedHashMap<>();
    /** {@code exclude: [[jdk: '17', db: 'pg']]} of the matrix as written: cells to leave out; null when not given. */
    public Located<Object> matrixExclude;
}
