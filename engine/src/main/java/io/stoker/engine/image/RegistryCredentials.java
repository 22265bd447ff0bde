package io.stoker.engine.image;

import io.stoker.model.Job;
import io.stoker.model.Step;
import io.stoker.model.Task;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A registry login read from a secret holding {@code user:password}. Its {@link #toString} never shows the password.
 */
public record RegistryCredentials(String user, String password) {

    /** The login a secret's value holds, or null when it is not {@code user:password}. */
    public static RegistryCredentials parse(String secret) {
        if (secret == null) return null;
        int colon = secret.strip().indexOf(':');
        if (colon <= 0 || colon == secret.strip().length() - 1) return null;
        String s = secret.strip();
        return new RegistryCredentials(s.substring(0, colon), s.substring(colon + 1));
    }

    /**
     * The secrets a job names as registry logins: its image steps' {@code credentials} and its tasks'
     * {@code registryCredentials}. A run fetches them with the declared secrets; they never reach a task's environment.
     */
    public static Set<String> secretNames(Job job) {
        Set<String> names = new LinkedHashSet<>();
        for (Task t : job.tasks()) {
            if (t.container() != null && t.container().credentials() != null) names.add(t.container().credentials());
            for (Step s : t.steps()) {
                switch (s) {
                    case Step.BuildImage b -> { if (b.credentials() != null) names.add(b.credentials()); }
                    case Step.PublishImage p -> { if (p.credentials() != null) names.add(p.credentials()); }
                    default -> { }
                }
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return user + ":***";
    }
}
