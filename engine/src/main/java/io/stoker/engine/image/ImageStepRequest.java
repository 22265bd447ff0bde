package io.stoker.engine.image;

import java.nio.file.Path;
import java.util.List;

/** One image step as the engine hands it over: templates rendered, the login read from the run's secrets. */
public sealed interface ImageStepRequest {

    /** The run's workspace, which every path of the step is relative to. */
    Path workspace();

    /** Where the image is pushed (rendered: {@code host/org/app:7}). */
    String push();

    /** The login for {@link #push()}, or null. */
    RegistryCredentials credentials();

    /** {@code buildImage}: a Containerfile built with the host's container engine. */
    record Build(Path workspace, String context, String file, String push, RegistryCredentials credentials)
            implements ImageStepRequest {
    }

    /** {@code publishImage}: workspace files put on a base image without any engine. */
    record Publish(Path workspace, String from, String base, List<String> entrypoint, String push,
                   RegistryCredentials credentials) implements ImageStepRequest {
        public Publish {
            entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        }
    }
}
