package io.stoker.model;

import java.util.List;
import java.util.Map;

/**
 * What starts a job besides a manual run: pushes, cron schedules (Jenkins syntax with {@code H}), polling
 * of the git URL, other jobs finishing, generic webhooks, and the server starting ({@code runOnStartup true});
 * {@code cancelSuperseded}: a push's or a pull request's new run cancels the job's older runs of the same branch or
 * pull request that are still queued or going ({@code cancelSuperseded true}).
 */
public record Triggers(List<Push> push, List<String> cron, List<String> poll, List<After> after,
                       List<Webhook> webhook, boolean onStartup, boolean cancelSuperseded) {
    public static final Triggers NONE = new Triggers(List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public Triggers {
        push = List.copyOf(push);
        cron = List.copyOf(cron);
        poll = List.copyOf(poll);
        after = List.copyOf(after);
        // absent from models stored before generic webhooks existed (run rows, a worker's JSON): none
        webhook = webhook == null ? List.of() : List.copyOf(webhook);
    }

    /** Triggers whose runs leave older runs alone. */
    public Triggers(List<Push> push, List<String> cron, List<String> poll, List<After> after, List<Webhook> webhook,
                    boolean onStartup) {
        this(push, cron, poll, after, webhook, onStartup, false);
    }

    public Triggers(List<Push> push, List<String> cron, List<String> poll, List<After> after) {
        this(push, cron, poll, after, List.of(), false);
    }

    public Triggers(List<Push> push, List<String> cron, List<String> poll, List<After> after, List<Webhook> webhook) {
        this(push, cron, poll, after, webhook, false);
    }

    /**
     * A push to one of these branches (glob patterns; empty = any branch, unless {@code tags} is given: then no
     * branch) that changed a file matching {@code paths} (empty = any file) and not only files matching
     * {@code pathsIgnore}; or a push of a tag matching one of {@code tags} (glob patterns over the tag's short name;
     * empty = no tag push starts the job).
     */
    public record Push(List<String> branches, List<String> tags, List<String> paths, List<String> pathsIgnore,
                       Pos pos) {
        public Push {
            branches = List.copyOf(branches);
            // absent from models stored before tag triggers existed: no tag
            tags = tags == null ? List.of() : List.copyOf(tags);
            // absent from models stored before path filters existed: no filter
            paths = paths == null ? List.of() : List.copyOf(paths);
            pathsIgnore = pathsIgnore == null ? List.of() : List.copyOf(pathsIgnore);
        }

        public Push(List<String> branches, Pos pos) {
            this(branches, List.of(), List.of(), List.of(), pos);
        }

        /** A trigger of branch pushes only (as before tag triggers existed). */
        public Push(List<String> branches, List<String> paths, List<String> pathsIgnore, Pos pos) {
            this(branches, List.of(), paths, pathsIgnore, pos);
        }

        /** True when branch pushes may start the job: a trigger that names only tags takes no branch. */
        public boolean takesBranches() {
            return !branches.isEmpty() || tags.isEmpty();
        }

        /** True when the trigger looks at the changed files at all. */
        public boolean filtersPaths() {
            return !paths.isEmpty() || !pathsIgnore.isEmpty();
        }
    }

    /** Start when {@code job} finished successfully, with these parameters (templates). */
    public record After(String job, Map<String, String> parameters, Pos pos) {
        public After {
            parameters = Maps.ordered(parameters);
        }
    }

    /**
     * A generic webhook: {@code POST /api/v1/hooks/generic/{project}/{job}} with the value of secret {@code token}
     * as bearer token starts a run whose parameters are read from the JSON body by JSONPath ({@code params}: name
     * → expression).
     */
    public record Webhook(String token, Map<String, String> params, Pos pos) {
        public Webhook {
            params = Maps.ordered(params);
        }
    }
}
