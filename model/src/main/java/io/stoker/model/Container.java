package io.stoker.model;

import java.util.List;

/**
 * The OCI image a task's steps run in, with the service containers started beside it. A task without one runs on
 * the host.
 *
 * @param image    an image reference ({@code debian:12}, {@code registry.example:5000/org/app@sha256:…})
 * @param pull     when the image is fetched from its registry
 * @param services containers started before the first step, reachable from the task by their names
 * @param credentials the secret holding {@code user:password} for pulling the image and the services' images from
 *                 a registry that requires a login ({@code registryCredentials 'NAME'}), or null
 * @param hostAccess what it asks of the host beyond the workspace ({@code --privileged}, host network, host mounts)
 */
public record Container(String image, PullPolicy pull, List<Service> services, String credentials, HostAccess hostAccess) {

    public Container {
        pull = pull == null ? PullPolicy.IF_NOT_PRESENT : pull;
        services = services == null ? List.of() : List.copyOf(services);
        hostAccess = hostAccess == null ? HostAccess.NONE : hostAccess;
    }

    /** Pulled without a login, asking nothing of the host. */
    public Container(String image, PullPolicy pull, List<Service> services) {
        this(image, pull, services, null, HostAccess.NONE);
    }

    /** Asking nothing of the host. */
    public Container(String image, PullPolicy pull, List<Service> services, String credentials) {
        this(image, pull, services, credentials, HostAccess.NONE);
    }

    /** When an image is fetched from its registry. */
    public enum PullPolicy {
        /** Every time a task starts. */
        ALWAYS("always"),
        /** Only when the host does not have it yet (the default). */
        IF_NOT_PRESENT("if-not-present"),
        /** Never: the image must already be on the host. */
        NEVER("never");

        private final String word;

        PullPolicy(String word) {
            this.word = word;
        }

        /** As written in a Jobfile: {@code always}, {@code if-not-present}, {@code never}. */
        public String word() {
            return word;
        }

        /** The policy a Jobfile word names, or null. */
        public static PullPolicy ofWord(String word) {
            for (PullPolicy p : values()) if (p.word.equals(word)) return p;
            return null;
        }
    }
}
