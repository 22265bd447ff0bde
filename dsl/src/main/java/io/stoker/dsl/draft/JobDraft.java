package io.stoker.dsl.draft;

import io.stoker.model.Pos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job as written. Null means "not given". */
public final class JobDraft {
    public String name;
    public Pos pos = Pos.NONE;
    /**
     * Whether the front end has told already that this name repeats an earlier one (a YAML or JSON duplicate key,
     * read all the same so that what is wrong inside it is told too): the name checks do not tell it again.
     */
    public boolean repeatTold;
    public String description;
    public final List<ParamDraft> parameters = new ArrayList<>();
    public final Map<String, Located<String>> env = new LinkedHashMap<>();
    public final List<Located<String>> secrets = new ArrayList<>();
    public Located<Long> timeoutMillis;
    public Located<String> agent;
    /** The image every task runs in unless it names its own, null for the host. */
    public Located<String> image;
    public Located<String> pull;
    /** The secret holding {@code user:password} for pulling its tasks' images, null for none. */
    public Located<String> registryCredentials;
    public Located<Long> concurrency;
    public boolean retryOnRestart;
    public boolean runOnStartup;
    /** A push's or pull request's new run cancels the job's older runs of that branch or pull request. */
    public boolean cancelSuperseded;
    /** {@code publish …}; null when the job does not publish. */
    public PublishDraft publish;
    public final List<PushDraft> pushTriggers = new ArrayList<>();
    public final List<Located<String>> cronTriggers = new ArrayList<>();
    public final List<Located<String>> pollTriggers = new ArrayList<>();
    public final List<AfterDraft> afterTriggers = new ArrayList<>();
    public final List<WebhookDraft> webhookTriggers = new ArrayList<>();
    public final List<TaskDraft> tasks = new ArrayList<>();
    public final List<NotifyDraft> notify = new ArrayList<>();

    /** {@code publish version: '…', keepLast: n, keepDays: d}; a null version means the default (the run number). */
    public record PublishDraft(Located<String> version, Located<Integer> keepLast, Located<Integer> keepDays, Pos pos) {
    }

    public record AfterDraft(String job, Map<String, String> parameters, Pos pos) {
    }

    /** {@code webhook token: 'SECRET_NAME', params: [NAME: '$.json.path']}. */
    public record WebhookDraft(String token, Map<String, String> params, Pos pos) {
    }

    /**
     * {@code push branches: […], tags: […], paths: […], pathsIgnore: […]}; each tag and path glob keeps where it
     * was written.
     */
    public record PushDraft(List<String> branches, List<Located<String>> tags, List<Located<String>> paths,
                            List<Located<String>> pathsIgnore, Pos pos) {
        public PushDraft(List<String> branches, Pos pos) {
            this(branches, List.of(), List.of(), List.of(), pos);
        }
    }
}
