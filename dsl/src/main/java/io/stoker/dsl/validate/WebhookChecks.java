package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.ParamDraft;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Generic webhook triggers: the token names a secret, and each param is a parameter the job declares (its default
 * applies when the body lacks the path) read by a JSONPath expression starting at {@code $}.
 */
final class WebhookChecks {
    private WebhookChecks() {
    }

    static void check(JobDraft job, Problems problems) {
        Set<String> declared = job.parameters.stream().map(ParamDraft::name).collect(Collectors.toSet());
        for (JobDraft.WebhookDraft hook : job.webhookTriggers) {
            if (NameChecks.blank(hook.token())) {
                problems.error(hook.pos(), "a webhook trigger needs token: the name of the secret its callers send "
                        + "as bearer token, e.g. webhook token: 'HOOK_TOKEN'");
            }
            hook.params().forEach((name, path) -> {
                if (!declared.contains(name)) {
                    problems.error(hook.pos(), "webhook params: '" + name + "' is not a parameter of job '" + job.name
                            + "'; declare it in parameters { }");
                }
                if (path == null || !path.startsWith("$")) {
                    problems.error(hook.pos(), "webhook params: the JSONPath for '" + name + "' must start at the "
                            + "document root '$', e.g. '$.push_data.tag'");
                }
            });
        }
    }
}
