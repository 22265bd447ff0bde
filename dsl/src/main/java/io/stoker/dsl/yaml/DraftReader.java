package io.stoker.dsl.yaml;

import io.stoker.dsl.draft.ApprovalDraft;
import io.stoker.dsl.draft.CacheDraft;
import io.stoker.dsl.draft.DeployDraft;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.NotifyDraft;
import io.stoker.dsl.draft.ParamDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;
import io.stoker.model.Step;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads the located tree into a draft following the Jobfile schema (docs/jobfile-yaml.md). Unknown keys and
 * values of the wrong type become diagnostics; whatever can be read is read, so validation sees the rest.
 */
final class DraftReader {
    private static final List<String> TOP = List.of("jobs", "deploy");
    private static final List<String> DEPLOY = List.of("agent", "run", "file", "healthcheck", "within");
    private static final List<String> JOB = List.of("description", "parameters", "env", "secrets", "timeout", "agent",
            "image", "pull", "registryCredentials", "concurrency", "retryOnRestart", "runOnStartup", "cancelSuperseded",
            "publish", "triggers", "tasks", "notify");
    private static final List<String> PUBLISH = List.of("version", "keepLast", "keepDays");
    private static final List<String> PARAM = List.of("name", "type", "defaultValue", "description", "choices");
    private static final List<String> TRIGGERS = List.of("push", "cron", "poll", "after", "webhook");
    private static final List<String> WEBHOOK = List.of("token", "params");
    private static final List<String> PUSH = List.of("branches", "tags", "paths", "pathsIgnore");
    private static final List<String> AFTER = List.of("job", "parameters");
    private static final List<String> TASK = List.of("needs", "input", "sh", "artifacts", "testReports", "cache", "retry", "timeout", "allowFailure", "when",
            "matrix", "env", "secrets", "agent", "approval", "image", "pull", "registryCredentials", "services");
    private static final List<String> APPROVAL = List.of("question", "approvers", "timeout");
    private static final List<String> ARTIFACTS = List.of("paths", "when");
    private static final List<String> CACHE = List.of("paths", "key", "files");
    private static final List<String> SERVICE = List.of("image", "env", "command", "ready");
    private static final List<String> TRIGGER_STEP = List.of("trigger", "parameters", "wait");
    private static final List<String> BUILD_IMAGE = List.of("context", "file", "push", "credentials");
    private static final List<String> PUBLISH_IMAGE = List.of("from", "base", "entrypoint", "push", "credentials");
    /** The mapping steps, each named by its one key. */
    private static final List<String> MAPPING_STEPS = List.of("trigger", "buildImage", "publishImage");
    private static final List<String> TIMEOUT = List.of("hours", "minutes", "seconds");
    private static final List<String> NOTIFY = List.of("on", "email", "ntfy", "slack", "webhook");
    private static final List<String> NOTIFY_WEBHOOK = List.of("status", "logs", "secret");

    private final JobfileDraft draft;

    DraftReader(JobfileDraft draft) {
        this.draft = draft;
    }

    void read(Node root) {
        var foreign = ForeignFile.recognise(root);
        if (foreign.isPresent()) {
            draft.diagnostics.add(Diagnostic.error(draft.file, foreign.get().pos(), foreign.get().message()));
            return;
        }
        mapping(root, "the Jobfile", TOP, (key, value) -> {
            if (value instanceof Node.Scalar s && s.value() == null) return;
            if (key.name().equals("deploy")) {
                mapping(value, "deploy", null, (name, target) -> draft.deploys.add(deploy(name, target)));
            } else {
                mapping(value, "jobs", null, (name, job) -> draft.jobs.add(job(name, job)));
                repeated(value, (name, job) -> {
                    JobDraft again = job(name, job);
                    again.repeatTold = true;
                    draft.jobs.add(again);
                });
            }
        });
    }

    /** {@code deploy: {staging: {agent: …, run: …, file: …, healthcheck: …, within: 60}}} */
    private DeployDraft deploy(Node.Key name, Node node) {
        var target = new DeployDraft();
        target.name = name.name();
        target.pos = name.pos();
        mapping(node, "deploy target '" + name.name() + "'", DEPLOY, (key, value) -> {
            switch (key.name()) {
                case "agent" -> target.agent = located(value, "agent");
                case "run" -> target.run = located(value, "run");
                case "file" -> target.file = located(value, "file");
                case "healthcheck" -> target.healthcheck = located(value, "healthcheck");
                case "within" -> target.within = integer(value, "within");
                default -> throw new IllegalStateException(key.name());
            }
        });
        return target;
    }

    private JobDraft job(Node.Key name, Node node) {
        var job = new JobDraft();
        job.name = name.name();
        job.pos = name.pos();
        String where = "job '" + name.name() + "'";
        mapping(node, where, JOB, (key, value) -> {
            switch (key.name()) {
                case "description" -> job.description = string(value, "description");
                case "parameters" -> {
                    if (value instanceof Node.Mapping m && m.entries().keySet().stream().noneMatch(k -> k.name().equals("name"))) {
                        // {a: 1} reads like names and values, which parameters are not
                        error(value, "parameters must be a list of parameters, each {name: …, type: string | choice | bool,"
                                + " defaultValue: …}, not a mapping — e.g. parameters: [{name: A, defaultValue: '1'}]");
                    } else {
                        eachItem(value, "parameters", p -> parameter(p, job));
                    }
                }
                case "env" -> env(value, job.env);
                case "secrets" -> job.secrets.addAll(strings(value, "secrets"));
                case "timeout" -> job.timeoutMillis = timeout(value);
                case "agent" -> job.agent = located(value, "agent");
                case "image" -> job.image = imageOrHost(value);
                case "pull" -> job.pull = located(value, "pull");
                case "registryCredentials" -> job.registryCredentials = located(value, "registryCredentials");
                case "concurrency" -> job.concurrency = whole(value, "concurrency", Long.MAX_VALUE,
                        "0 (no limit) or more, at most " + Integer.MAX_VALUE);
                case "retryOnRestart" -> job.retryOnRestart = bool(value, "retryOnRestart");
                case "runOnStartup" -> job.runOnStartup = bool(value, "runOnStartup");
                case "cancelSuperseded" -> job.cancelSuperseded = bool(value, "cancelSuperseded");
                case "publish" -> job.publish = publish(value);
                case "triggers" -> triggers(value, job);
                case "tasks" -> {
                    mapping(value, "tasks", null, (taskName, task) -> job.tasks.add(task(taskName, task)));
                    repeated(value, (taskName, task) -> {
                        TaskDraft again = task(taskName, task);
                        again.repeatTold = true;
                        job.tasks.add(again);
                    });
                }
                case "notify" -> eachItem(value, "notify", block -> job.notify.add(notify(block)));
                default -> throw new IllegalStateException(key.name());
            }
        });
        return job;
    }

    /** {@code publish: true} (the run number as version) or {@code publish: {version: …, keepLast: n, keepDays: d}}. */
    private JobDraft.PublishDraft publish(Node node) {
        if (node instanceof Node.Scalar(Pos p, Boolean b)) {
            return b ? new JobDraft.PublishDraft(null, null, null, p) : null;
        }
        var fields = new LinkedHashMap<String, Node>();
        mapping(node, "publish", PUBLISH, (key, value) -> fields.put(key.name(), value));
        if (!(node instanceof Node.Mapping)) return null;
        return new JobDraft.PublishDraft(fields.containsKey("version") ? located(fields.get("version"), "publish version") : null,
                fields.containsKey("keepLast") ? integer(fields.get("keepLast"), "publish keepLast") : null,
                fields.containsKey("keepDays") ? integer(fields.get("keepDays"), "publish keepDays") : null, node.pos());
    }

    private void parameter(Node node, JobDraft job) {
        var fields = new LinkedHashMap<String, Node>();
        mapping(node, "a parameter", PARAM, (key, value) -> fields.put(key.name(), value));
        if (!(node instanceof Node.Mapping)) return;
        String name = fields.containsKey("name") ? string(fields.get("name"), "name") : null;
        String type = fields.containsKey("type") ? string(fields.get("type"), "type") : "string";
        Object defaultValue = fields.containsKey("defaultValue") ? Node.plain(fields.get("defaultValue")) : null;
        List<Object> choices = null;
        if (fields.containsKey("choices")) {
            if (fields.get("choices") instanceof Node.Sequence s) {
                choices = new ArrayList<>(s.items().stream().map(Node::plain).toList());
            } else {
                error(fields.get("choices"), "choices must be a list, not " + Node.describe(fields.get("choices")));
            }
        }
        String description = fields.containsKey("description") ? string(fields.get("description"), "description") : null;
        job.parameters.add(new ParamDraft(type, name, defaultValue, choices, description, node.pos()));
    }

    private void triggers(Node node, JobDraft job) {
        mapping(node, "triggers", TRIGGERS, (key, value) -> {
            switch (key.name()) {
                case "push" -> {
                    if (value instanceof Node.Scalar s && s.value() == null) {
                        job.pushTriggers.add(new JobDraft.PushDraft(List.of(), value.pos()));
                    } else {
                        eachItem(value, "push", push -> {
                            var fields = new LinkedHashMap<String, Node>();
                            mapping(push, "a push trigger", PUSH, (k, v) -> fields.put(k.name(), v));
                            if (!(push instanceof Node.Mapping)) return;
                            List<String> branches = fields.containsKey("branches")
                                    ? strings(fields.get("branches"), "branches").stream().map(Located::value).toList()
                                    : List.of();
                            List<Located<String>> tags = fields.containsKey("tags")
                                    ? strings(fields.get("tags"), "tags") : List.of();
                            List<Located<String>> paths = fields.containsKey("paths")
                                    ? strings(fields.get("paths"), "paths") : List.of();
                            List<Located<String>> ignored = fields.containsKey("pathsIgnore")
                                    ? strings(fields.get("pathsIgnore"), "pathsIgnore") : List.of();
                            job.pushTriggers.add(new JobDraft.PushDraft(branches, tags, paths, ignored, push.pos()));
                        });
                    }
                }
                case "webhook" -> eachItem(value, "webhook", hook -> {
                    var fields = new LinkedHashMap<String, Node>();
                    mapping(hook, "a webhook trigger", WEBHOOK, (k, v) -> fields.put(k.name(), v));
                    if (!(hook instanceof Node.Mapping)) return;
                    String token = fields.containsKey("token") ? string(fields.get("token"), "token") : null;
                    var params = new LinkedHashMap<String, String>();
                    if (fields.containsKey("params")) {
                        mapping(fields.get("params"), "webhook params", null, (k, v) -> params.put(k.name(),
                                string(v, "webhook params")));
                    }
                    job.webhookTriggers.add(new JobDraft.WebhookDraft(token, params, hook.pos()));
                });
                case "cron" -> job.cronTriggers.addAll(strings(value, "cron"));
                case "poll" -> job.pollTriggers.addAll(strings(value, "poll"));
                case "after" -> eachItem(value, "after", after -> {
                    var fields = new LinkedHashMap<String, Node>();
                    mapping(after, "an after trigger", AFTER, (k, v) -> fields.put(k.name(), v));
                    if (!(after instanceof Node.Mapping)) return;
                    String jobName = fields.containsKey("job") ? string(fields.get("job"), "job") : null;
                    var parameters = new LinkedHashMap<String, String>();
                    if (fields.containsKey("parameters")) {
                        var env = new LinkedHashMap<String, Located<String>>();
                        env(fields.get("parameters"), env);
                        env.forEach((k, v) -> parameters.put(k, v.value() == null ? "" : v.value()));
                    }
                    job.afterTriggers.add(new JobDraft.AfterDraft(jobName, parameters, after.pos()));
                });
                default -> throw new IllegalStateException(key.name());
            }
        });
    }

    /** {@code {on: [failed, fixed], email: …, ntfy: …, slack: …, webhook: {status: …, logs: …}}}; a list gives several. */
    private NotifyDraft notify(Node node) {
        var notify = new NotifyDraft();
        notify.pos = node.pos();
        mapping(node, "notify", NOTIFY, (key, value) -> {
            switch (key.name()) {
                case "on" -> notify.on.addAll(strings(value, "notify on"));
                case "email" -> notify.email.addAll(strings(value, "notify email"));
                case "ntfy" -> notify.ntfy.addAll(strings(value, "notify ntfy"));
                case "slack" -> notify.slack.addAll(strings(value, "notify slack"));
                case "webhook" -> webhook(value, notify);
                default -> throw new IllegalStateException(key.name());
            }
        });
        return notify;
    }

    /** {@code webhook: {status: …, logs: …, secret: NAME}}: the secret signs that mapping's status URLs. */
    private void webhook(Node node, NotifyDraft notify) {
        var status = new ArrayList<Located<String>>();
        var secret = new java.util.concurrent.atomic.AtomicReference<Located<String>>();
        mapping(node, "notify webhook", NOTIFY_WEBHOOK, (k, v) -> {
            switch (k.name()) {
                case "status" -> status.addAll(strings(v, "webhook status"));
                case "logs" -> notify.logWebhooks.addAll(strings(v, "webhook logs"));
                default -> secret.set(located(v, "webhook secret"));
            }
        });
        notify.statusWebhooks.addAll(status);
        Located<String> name = secret.get();
        if (name == null) return;
        if (status.isEmpty()) {
            draft.diagnostics.add(Diagnostic.error(draft.file, name.pos(),
                    "webhook secret: signs status webhooks: give status: https://… with it"));
        }
        status.forEach(url -> notify.statusSecrets.put(url, name));
    }

    private TaskDraft task(Node.Key name, Node node) {
        var task = new TaskDraft();
        task.name = name.name();
        task.pos = name.pos();
        mapping(node, "task '" + name.name() + "'", TASK, (key, value) -> {
            switch (key.name()) {
                case "needs" -> task.needs.addAll(strings(value, "needs"));
                case "input" -> task.inputs.addAll(input(value));
                case "sh" -> {
                    // sh: [] writes no step: the task is told it has none, as one without sh is
                    task.stepWritten = !(value instanceof Node.Sequence s && s.items().isEmpty());
                    eachItem(value, "sh", item -> step(item, task));
                }
                case "artifacts" -> artifacts(value, task);
                case "testReports" -> task.testReports.addAll(strings(value, "testReports"));
                case "cache" -> task.cache = cache(value);
                case "retry" -> task.retry = whole(value, "retry", Long.MAX_VALUE,
                        "between 0 and " + io.stoker.dsl.validate.JobfileValidator.MAX_RETRY);
                case "timeout" -> task.timeoutMillis = timeout(value);
                case "allowFailure" -> task.allowFailure = new Located<>(bool(value, "allowFailure"), value.pos());
                case "when" -> {
                    if (value instanceof Node.Scalar(Pos p, String w) && w.equals("manual")) {
                        // GitLab's when: manual waits for a person: Stoker's gate is approval
                        draft.diagnostics.add(Diagnostic.error(draft.file, key.pos(), "when: manual is GitLab's "
                                + "manual job: for a gate write approval: 'Run " + name.name() + "?'"));
                    } else {
                        task.when = value instanceof Node.Scalar(Pos p, Boolean b)
                                ? new Located<>(b.toString(), p) : located(value, "when");
                    }
                }
                case "matrix" -> {
                    if (value instanceof Node.Mapping m && m.entries().isEmpty()) {
                        error(value, "a matrix needs at least one axis, e.g. matrix: {jdk: ['17', '21']}");
                    }
                    matrix(value, task);
                }
                case "env" -> env(value, task.env);
                case "secrets" -> task.secrets.addAll(strings(value, "secrets"));
                case "agent" -> task.agent = located(value, "agent");
                case "approval" -> task.approval = approval(value);
                case "image" -> task.image = imageOrHost(value);
                case "pull" -> task.pull = located(value, "pull");
                case "registryCredentials" -> task.registryCredentials = located(value, "registryCredentials");
                case "services" -> mapping(value, "services", null, (service, fields) -> service(service, fields, task));
                default -> throw new IllegalStateException(key.name());
            }
        });
        return task;
    }

    /** {@code artifacts: ['dist/**']}, or as GitLab writes it {@code artifacts: {paths: ['reports/**'], when: always}}. */
    private void artifacts(Node node, TaskDraft task) {
        if (!(node instanceof Node.Mapping)) {
            task.artifacts.addAll(strings(node, "artifacts"));
            return;
        }
        var fields = new LinkedHashMap<String, Node>();
        mapping(node, "artifacts", ARTIFACTS, (k, v) -> fields.put(k.name(), v));
        if (fields.containsKey("paths")) {
            task.artifacts.addAll(strings(fields.get("paths"), "artifacts paths"));
        } else {
            error(node, "artifacts needs paths: the files to collect, e.g. {paths: ['reports/**'], when: always}");
        }
        if (fields.containsKey("when")) task.artifactsWhen = located(fields.get("when"), "artifacts when");
    }

    /** {@code cache: [node_modules]}, or {@code cache: {paths: [node_modules], key: deps, files: [package-lock.json]}}. */
    private CacheDraft cache(Node node) {
        if (!(node instanceof Node.Mapping)) return new CacheDraft(strings(node, "cache"), null, List.of(), node.pos());
        var fields = new LinkedHashMap<String, Node>();
        mapping(node, "cache", CACHE, (k, v) -> fields.put(k.name(), v));
        List<Located<String>> paths = List.of();
        if (fields.containsKey("paths")) {
            paths = strings(fields.get("paths"), "cache paths");
        } else {
            error(node, "cache needs paths: the directories to keep, e.g. {paths: [node_modules], files: [package-lock.json]}");
        }
        Located<String> key = null;
        Node keyNode = fields.get("key");
        if (keyNode instanceof Node.Mapping) {
            // GitLab's key: {files: [...]}: the files sit beside the paths here
            error(keyNode, "GitLab's key: {files: [...]} is written files: [...] beside paths: here; key: is a name");
        } else if (keyNode != null) {
            key = located(keyNode, "cache key");
        }
        List<Located<String>> files = fields.containsKey("files") ? strings(fields.get("files"), "cache files") : List.of();
        return new CacheDraft(paths, key, files, node.pos());
    }

    /** {@code approval: 'Deploy?'} or {@code approval: {question: 'Deploy?', approvers: [alice], timeout: 2h}}. */
    private ApprovalDraft approval(Node node) {
        if (node instanceof Node.Scalar(Pos p, String s)) return new ApprovalDraft(s, List.of(), null, p);
        var fields = new LinkedHashMap<String, Node>();
        mapping(node, "approval", APPROVAL, (k, v) -> fields.put(k.name(), v));
        if (!(node instanceof Node.Mapping)) return null;
        if (!fields.containsKey("question")) {
            error(node, "approval needs a question, e.g. {question: 'Deploy to prod?'}");
            return null;
        }
        String question = string(fields.get("question"), "approval question");
        List<Located<String>> approvers = fields.containsKey("approvers")
                ? strings(fields.get("approvers"), "approvers") : List.of();
        Located<String> timeout = null;
        if (fields.containsKey("timeout")) {
            Node t = fields.get("timeout");
            if (t instanceof Node.Scalar(Pos p, String s)) {
                timeout = new Located<>(s, p);
            } else if (t instanceof Node.Numeral(Pos p, Number n, String written)) {
                timeout = new Located<>(written, p);
            } else {
                error(t, "approval timeout must be text like 2h, 30m or 1h30m, not " + Node.describe(t));
            }
        }
        return question == null ? null : new ApprovalDraft(question, approvers, timeout, node.pos());
    }

    /** {@code postgres: {image: postgres:16, env: {…}, command: […], ready: pg_isready}} */
    private void service(Node.Key name, Node node, TaskDraft task) {
        var fields = new LinkedHashMap<String, Node>();
        mapping(node, "service '" + name.name() + "'", SERVICE, (k, v) -> fields.put(k.name(), v));
        if (!(node instanceof Node.Mapping)) return;
        String image = fields.containsKey("image") ? string(fields.get("image"), "image") : null;
        var env = new LinkedHashMap<String, Located<String>>();
        if (fields.containsKey("env")) env(fields.get("env"), env);
        var plainEnv = new LinkedHashMap<String, String>();
        env.forEach((k, v) -> plainEnv.put(k, v.value() == null ? "" : v.value()));
        List<String> command = fields.containsKey("command")
                ? strings(fields.get("command"), "command").stream().map(Located::value).toList() : List.of();
        String ready = fields.containsKey("ready") ? string(fields.get("ready"), "ready") : null;
        task.services.add(new io.stoker.dsl.draft.ServiceDraft(name.name(), image, plainEnv, command, ready, name.pos()));
    }

    /** A task's {@code matrix}: axis → list of values, and the optional {@code exclude}. */
    private void matrix(Node value, TaskDraft task) {
        mapping(value, "matrix", null, (axis, values) -> {
            if (axis.name().equals("exclude") && io.stoker.dsl.validate.MatrixExclusions.isExclusions(Node.plain(values))) {
                task.matrixExclude = new Located<>(Node.written(values), values.pos());
            } else if (values instanceof Node.Sequence s) {
                task.matrix.put(axis.name(), new Located<>(new ArrayList<>(s.items().stream().map(Node::written).toList()),
                        values.pos()));
            } else {
                error(values, "matrix axis '" + axis.name() + "' must be a list of values, not " + Node.describe(values));
            }
        });
    }

    /**
     * One step: a string is a shell script, {@code {trigger: job, parameters: {…}, wait: true}} a trigger,
     * {@code {buildImage: {…}}} and {@code {publishImage: {…}}} image steps.
     */
    private void step(Node item, TaskDraft task) {
        if (item instanceof Node.Scalar(Pos p, String s)) {
            task.steps.add(new Step.Sh(s, p));
            return;
        }
        String kind = item instanceof Node.Mapping map ? map.entries().keySet().stream().map(Node.Key::name)
                .filter(MAPPING_STEPS::contains).findFirst().orElse(null) : null;
        if (kind == null) {
            error(item, "sh must be a string or a list of strings, not " + Node.describe(item)
                    + (item instanceof Node.Mapping ? " without 'trigger', 'buildImage' or 'publishImage' (a trigger step is"
                    + " {trigger: job, parameters: {…}, wait: true}; an image step {buildImage: {push: …}} or"
                    + " {publishImage: {from: …, push: …}})" : ""));
            return;
        }
        if (!kind.equals("trigger")) {
            imageStep(kind, (Node.Mapping) item, task);
            return;
        }
        var fields = new LinkedHashMap<String, Node>();
        mapping(item, "a trigger step", TRIGGER_STEP, (k, v) -> fields.put(k.name(), v));
        String jobName = string(fields.get("trigger"), "trigger");
        var parameters = new LinkedHashMap<String, String>();
        if (fields.containsKey("parameters")) {
            var values = new LinkedHashMap<String, Located<String>>();
            env(fields.get("parameters"), values);
            values.forEach((k, v) -> parameters.put(k, v.value() == null ? "" : v.value()));
        }
        boolean wait = !fields.containsKey("wait") || bool(fields.get("wait"), "trigger wait");
        if (jobName != null) task.steps.add(new Step.Trigger(jobName, parameters, wait, item.pos()));
    }

    /**
     * {@code {buildImage: {context, file, push, credentials}}} or {@code {publishImage: {from, base, entrypoint, push,
     * credentials}}}: the same options and defaults as the Groovy words.
     */
    private void imageStep(String kind, Node.Mapping item, TaskDraft task) {
        boolean build = kind.equals("buildImage");
        var fields = new LinkedHashMap<String, Node>();
        mapping(item, "a " + kind + " step", List.of(kind), (k, v) -> mapping(v, kind, build ? BUILD_IMAGE : PUBLISH_IMAGE,
                (option, value) -> fields.put(option.name(), value)));
        Node options = item.entries().entrySet().stream().filter(e -> e.getKey().name().equals(kind))
                .map(Map.Entry::getValue).findFirst().orElse(item);
        if (!(options instanceof Node.Mapping)) return; // reported by mapping()
        String push = fields.containsKey("push") ? string(fields.get("push"), kind + " push") : null;
        String credentials = fields.containsKey("credentials") ? string(fields.get("credentials"), kind + " credentials") : null;
        if (build) {
            if (push == null) {
                if (!fields.containsKey("push")) error(item, "buildImage needs where to push: {buildImage: {push: 'registry.example:5000/org/app:1'}}");
                return;
            }
            String context = fields.containsKey("context") ? string(fields.get("context"), "buildImage context") : ".";
            String file = fields.containsKey("file") ? string(fields.get("file"), "buildImage file") : "Containerfile";
            if (context != null && file != null) task.steps.add(new Step.BuildImage(context, file, push, credentials, item.pos()));
            return;
        }
        String from = fields.containsKey("from") ? string(fields.get("from"), "publishImage from") : null;
        String base = fields.containsKey("base") ? string(fields.get("base"), "publishImage base") : "scratch";
        List<String> entrypoint = List.of();
        if (fields.containsKey("entrypoint")) {
            if (fields.get("entrypoint") instanceof Node.Sequence) {
                entrypoint = strings(fields.get("entrypoint"), "publishImage entrypoint").stream().map(Located::value).toList();
            } else {
                error(fields.get("entrypoint"), "publishImage entrypoint takes a list, e.g. entrypoint: [java, -jar, /app/app.jar], not "
                        + Node.describe(fields.get("entrypoint")));
            }
        }
        if ((!fields.containsKey("from") || !fields.containsKey("push"))) {
            error(item, "publishImage needs from and push: {publishImage: {from: 'dist/**', push: 'registry.example:5000/org/app:1'}}");
            return;
        }
        if (from != null && push != null && base != null) {
            task.steps.add(new Step.PublishImage(from, base, entrypoint, push, credentials, item.pos()));
        }
    }

    // ---- typed readers: each reports a wrong type and returns what it could read

    /**
     * Visits a mapping's entries; keys outside {@code allowed} (when given) are reported with Stoker's way to say
     * another tool's key or a suggestion.
     */
    private void mapping(Node node, String where, List<String> allowed, BiConsumer<Node.Key, Node> visit) {
        if (!(node instanceof Node.Mapping mapping)) {
            if (!(node instanceof Node.Scalar s && s.value() == null && allowed == null)) {
                error(node, where + " must be a map, not " + Node.describe(node));
            }
            return;
        }
        mapping.entries().forEach((key, value) -> {
            if (allowed != null && !allowed.contains(key.name())) {
                draft.diagnostics.add(Diagnostic.error(draft.file, key.pos(), "unknown key '" + key.name() + "' in " + where
                        + UnknownKey.suffix(key, value, allowed)));
            } else {
                visit.accept(key, value);
            }
        });
    }

    /**
     * Visits the entries of a mapping of names (jobs, tasks) whose key repeats an earlier one: told as a duplicate
     * key already, each is still read, so what is wrong inside it is told in the same pass (as a Groovy Jobfile's
     * second task of one name is).
     */
    private static void repeated(Node node, BiConsumer<Node.Key, Node> visit) {
        if (node instanceof Node.Mapping mapping) mapping.repeated().forEach(e -> visit.accept(e.getKey(), e.getValue()));
    }

    /** A single item or a list of items. */
    private void eachItem(Node node, String what, java.util.function.Consumer<Node> visit) {
        if (node instanceof Node.Sequence s) s.items().forEach(visit);
        else visit.accept(node);
    }

    private void env(Node node, Map<String, Located<String>> into) {
        mapping(node, "env", null, (key, value) -> {
            if (value instanceof Node.Scalar s) {
                into.put(key.name(), new Located<>(s.value() == null ? null : String.valueOf(s.value()), value.pos()));
            } else if (value instanceof Node.Numeral n) {
                into.put(key.name(), new Located<>(n.written(), value.pos()));
            } else {
                error(value, "env " + key.name() + " must be a string, not " + Node.describe(value));
            }
        });
    }

    /**
     * A task's pipe writer: {@code input: gen}, or {@code input: {from: gen}} as a Groovy Jobfile says
     * {@code input from: 'gen'} (what one translating the README's examples writes).
     */
    private List<Located<String>> input(Node node) {
        if (node instanceof Node.Mapping m) {
            if (m.entries().size() == 1 && m.entries().firstEntry().getKey().name().equals("from")) {
                return strings(m.entries().firstEntry().getValue(), "input from");
            }
            error(node, "input must name the task whose stdout it reads: input: gen (or input: {from: gen}), not "
                    + Node.describe(node) + " with keys " + String.join(", ", m.entries().keySet().stream()
                    .map(Node.Key::name).toList()));
            return List.of();
        }
        return strings(node, "input");
    }

    /** A string or a list of strings. */
    private List<Located<String>> strings(Node node, String what) {
        var result = new ArrayList<Located<String>>();
        eachItem(node, what, item -> {
            if (item instanceof Node.Scalar(Pos p, String s)) result.add(new Located<>(s, p));
            else error(item, what + " must be a string or a list of strings, not " + Node.describe(item)
                    + gitLabNeeds(what, item));
        });
        return result;
    }

    /** GitLab writes a need as {@code {job: build}}: the hint names the task as Stoker writes it. */
    private static String gitLabNeeds(String what, Node item) {
        if (what.equals("needs") && item instanceof Node.Mapping m
                && entry(m, "job") instanceof Node.Scalar(Pos p, String job)) {
            return " (GitLab's {job: " + job + "} is written needs: [" + job + "] here)";
        }
        return "";
    }

    /** GitLab writes {@code retry: {max: 2}}: the hint gives Stoker's {@code retry: 2}. */
    private static String gitLabRetry(Node node) {
        if (node instanceof Node.Mapping m && entry(m, "max") instanceof Node.Numeral(Pos p, Number n, String max)) {
            return " (GitLab's retry: {max: " + max + "} is written retry: " + max + " here)";
        }
        return "";
    }

    private static Node entry(Node.Mapping mapping, String name) {
        return mapping.entries().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private String string(Node node, String what) {
        if (node instanceof Node.Scalar(Pos p, String s)) return s;
        error(node, what + " must be a string, not " + Node.describe(node));
        return null;
    }

    private Located<String> located(Node node, String what) {
        String s = string(node, what);
        return s == null ? null : new Located<>(s, node.pos());
    }

    /** {@code image: REF}, or {@code image: null}: the host, even where the job names an image. */
    private Located<String> imageOrHost(Node node) {
        if (node instanceof Node.Scalar(Pos p, Object v) && v == null) return new Located<>(null, p);
        return located(node, "image");
    }

    private Located<Integer> integer(Node node, String what) {
        Located<Long> whole = whole(node, what, Integer.MAX_VALUE, "of at most " + Integer.MAX_VALUE);
        return whole == null ? null : new Located<>(Math.toIntExact(whole.value()), whole.pos());
    }

    /**
     * A whole number up to {@code max} (a lower bound is the validator's to tell, in the word's own range); a
     * number that is not whole or too large is told with its value and the word's {@code range} ("between 0 and
     * 10"), anything else by its kind.
     */
    private Located<Long> whole(Node node, String what, long max, String range) {
        if (!(node instanceof Node.Numeral(Pos p, Number n, String written))) {
            error(node, what + " must be a whole number, not " + Node.describe(node)
                    + (what.equals("retry") ? gitLabRetry(node) : ""));
            return null;
        }
        BigDecimal value = decimal(n);
        if (value == null) {
            error(node, what + " must be a whole number " + range + ", got a number beyond any range");
        } else if (value.stripTrailingZeros().scale() > 0) {
            error(node, what + " must be a whole number, got " + value.toPlainString());
        } else if (value.compareTo(BigDecimal.valueOf(max)) > 0 || value.compareTo(BigDecimal.valueOf(-max - 1)) < 0) {
            error(node, what + " must be a whole number " + range + ", got " + value.toPlainString());
        } else {
            return new Located<>(value.longValueExact(), p);
        }
        return null;
    }

    /** The number's exact value; null for one the parser read as infinite (1e400 is beyond a double). */
    private static BigDecimal decimal(Number n) {
        if (n instanceof Double d && !Double.isFinite(d) || n instanceof Float f && !Float.isFinite(f)) return null;
        return new BigDecimal(n.toString());
    }

    private boolean bool(Node node, String what) {
        if (node instanceof Node.Scalar(Pos p, Boolean b)) return b;
        error(node, what + " must be true or false, not " + Node.describe(node));
        return false;
    }

    /** {@code {hours: h, minutes: m, seconds: s}} in milliseconds. */
    private Located<Long> timeout(Node node) {
        if (node instanceof Node.Scalar(Pos p, String text)) {
            // timeout: 30m, as GitLab writes it (and approval timeouts are written here)
            long millis = io.stoker.dsl.validate.Durations.millis(text);
            if (millis > 0) return new Located<>(millis, p);
            String tooLong = io.stoker.dsl.validate.Durations.tooLong(text);
            error(node, tooLong != null ? "timeout " + tooLong
                    : "timeout '" + text + "' must be a duration like 30m, 1h30m or 90s, or a map like {minutes: 30}");
            return null;
        }
        if (!(node instanceof Node.Mapping)) {
            error(node, "timeout must be a map like {minutes: 30} or text like 30m, not " + Node.describe(node));
            return null;
        }
        BigDecimal[] millis = {BigDecimal.ZERO};
        // an unknown unit is reported by mapping(); a sum without it would be a second, misleading error
        boolean[] ok = {((Node.Mapping) node).entries().keySet().stream().allMatch(k -> TIMEOUT.contains(k.name()))};
        mapping(node, "timeout", TIMEOUT, (unit, value) -> {
            if (value instanceof Node.Numeral(Pos p, Number n, String written) && decimal(n) == null) {
                error(value, "timeout " + unit.name() + " is a number beyond any range");
                ok[0] = false;
            } else if (value instanceof Node.Numeral(Pos p, Number n, String written)) {
                long factor = switch (unit.name()) {
                    case "hours" -> 3_600_000L;
                    case "minutes" -> 60_000L;
                    default -> 1_000L;
                };
                millis[0] = millis[0].add(decimal(n).multiply(BigDecimal.valueOf(factor)));
            } else {
                error(value, "timeout " + unit.name() + " must be a number, not " + Node.describe(value));
                ok[0] = false;
            }
        });
        if (!ok[0]) return null;
        if (millis[0].compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            error(node, "timeout is too long");
            return null;
        }
        return new Located<>(millis[0].longValue(), node.pos());
    }

    private void error(Node node, String message) {
        draft.diagnostics.add(Diagnostic.error(draft.file, node.pos(), message));
    }
}
