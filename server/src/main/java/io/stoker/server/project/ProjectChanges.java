package io.stoker.server.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which settings of a project an update changed, by name, for the audit log: the names only, so a webhook secret
 * or a password in a git URL never reaches the log.
 */
public final class ProjectChanges {
    private ProjectChanges() {
    }

    public static List<String> between(Project before, Project after) {
        List<String> changed = new ArrayList<>();
        add(changed, "gitUrl", before.gitUrl(), after.gitUrl());
        add(changed, "branch", before.branch(), after.branch());
        add(changed, "jobfile", before.jobfile(), after.jobfile());
        add(changed, "file", before.jobfileName(), after.jobfileName());
        add(changed, "commit", before.commit(), after.commit());
        add(changed, "webhookSecret", before.webhookSecret(), after.webhookSecret());
        add(changed, "credentials", before.credentials(), after.credentials());
        add(changed, "commitStatuses", before.status(), after.status());
        add(changed, "allowForkSecrets", before.allowForkSecrets(), after.allowForkSecrets());
        add(changed, "allowForkBuilds", before.allowForkBuilds(), after.allowForkBuilds());
        return changed;
    }

    private static void add(List<String> changed, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) changed.add(field);
    }
}
