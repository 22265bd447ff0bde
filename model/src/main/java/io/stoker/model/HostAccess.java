package io.stoker.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a task in an image asks of its host beyond the workspace: {@code privileged true}, {@code network 'host'},
 * {@code mount '/srv/cache'}. A server runs such a task only in a project whose admin allowed host access.
 *
 * @param privileged  the container runs with {@code --privileged}
 * @param hostNetwork the container shares the host's network
 * @param mounts      host directories mounted at the same path
 */
public record HostAccess(boolean privileged, boolean hostNetwork, List<String> mounts) {
    public static final HostAccess NONE = new HostAccess(false, false, List.of());

    public HostAccess {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** Whether it asks for anything at all. */
    public boolean any() {
        return privileged || hostNetwork || !mounts.isEmpty();
    }

    /** What it asks for, in words: {@code --privileged}, {@code host networking}, {@code host mount /srv/cache}. */
    public List<String> asked() {
        List<String> out = new ArrayList<>();
        if (privileged) out.add("--privileged");
        if (hostNetwork) out.add("host networking");
        mounts.forEach(m -> out.add("host mount " + m));
        return out;
    }
}
