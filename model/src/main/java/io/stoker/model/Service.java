package io.stoker.model;

import java.util.List;
import java.util.Map;

/**
 * A container started beside a task in an image ({@code services { postgres image: 'postgres:16' } }): it shares
 * the task's network, so the task reaches it by its name.
 *
 * @param name    the host name the task reaches it by
 * @param image   its image reference
 * @param env     its environment (plain values, no templates)
 * @param command its command instead of the image's, empty for the image's own
 * @param ready   a shell command run inside it until it succeeds before the task's first step, or null
 */
public record Service(String name, String image, Map<String, String> env, List<String> command, String ready) {

    public Service {
        env = Maps.ordered(env);
        command = command == null ? List.of() : List.copyOf(command);
    }
}
