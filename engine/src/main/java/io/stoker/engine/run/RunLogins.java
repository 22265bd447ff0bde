package io.stoker.engine.run;

import io.stoker.engine.image.RegistryCredentials;

/** Registry logins named by a Jobfile ({@code credentials:}, {@code registryCredentials}), read from the run's secrets. */
final class RunLogins {
    private RunLogins() {
    }

    /** The login the secret {@code name} holds, null when {@code name} is null; refused when it is missing or malformed. */
    static RegistryCredentials of(RunRequest request, String name) {
        if (name == null) return null;
        String value = request.secrets().get(name);
        if (value == null) {
            throw new StepRefused("the registry login secret '" + name + "' was not given to this run: it does not"
                    + " exist, or this project may not read it");
        }
        RegistryCredentials login = RegistryCredentials.parse(value);
        if (login == null) throw new StepRefused("the registry login secret '" + name + "' does not hold user:password");
        return login;
    }
}
