package io.stoker.container;

import io.stoker.engine.image.RegistryCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pull} with an optional registry login: the login goes into a private auth file ({@code --authfile}, deleted
 * after the pull), never on a command line; plain HTTP only from loopback or listed registries; a failure is one
 * sentence naming the registry and user, never the password.
 */
final class ImagePull {
    private final EngineCli cli;
    private final Set<String> insecureRegistries;
    private final Duration limit;

    ImagePull(EngineCli cli, Set<String> insecureRegistries, Duration limit) {
        this.cli = cli;
        this.insecureRegistries = insecureRegistries;
        this.limit = limit;
    }

    /**
     * Pulls {@code image}; {@code option} names how a Jobfile or request gives a login (for the sentence a registry
     * asking for one gets), e.g. {@code registryCredentials 'SECRET'}.
     */
    void pull(String image, RegistryCredentials login, String option) throws IOException {
        ImageReference ref = ImageReference.parse(image);
        List<String> args = new ArrayList<>(List.of("pull"));
        if (ref != null && ref.insecure(insecureRegistries)) args.add("--tls-verify=false");
        Path scratch = login == null || ref == null ? null : Files.createTempDirectory("stoker-pull-");
        try {
            if (scratch != null) args.addAll(List.of("--authfile", RegistryAuth.file(scratch, ref, login).toString()));
            args.add(image);
            EngineCli.Result r = cli.run(limit, args, Map.of());
            if (r.ok()) return;
            String what = "cannot pull image '" + image + "'";
            String output = RegistryAuth.mask(r.output(), login);
            throw new IOException(ref == null ? what + ": " + output.strip().lines().reduce((a, b) -> b).orElse("")
                    : RegistryAuth.failure(what, option, ref, output, login));
        } finally {
            if (scratch != null) RegistryAuth.deleteTree(scratch);
        }
    }
}
