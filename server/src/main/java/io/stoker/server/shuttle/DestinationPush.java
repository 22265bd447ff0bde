package io.stoker.server.shuttle;

import io.stoker.model.Job;
import io.stoker.model.Pos;
import io.stoker.model.Step;
import io.stoker.model.Task;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The task a {@code docker://} destination adds to a build: {@code push-image}, after every other task and only when
 * they succeeded, with one image step. A source with a {@code Containerfile} (or {@code Dockerfile}) at its root is
 * built with it ({@code buildImage}, the host's engine); any other source's workspace, as the build left it, is put
 * under {@code /app} of the source image (a {@code docker://} source) or of an empty one ({@code publishImage}, no
 * engine needed).
 */
final class DestinationPush {
    static final String TASK = "push-image";
    static final List<String> CONTAINERFILES = List.of("Containerfile", "Dockerfile");

    private DestinationPush() {
    }

    /**
     * {@code job} with the push task added.
     *
     * @param source      the fetched source (its root is looked at for a Containerfile)
     * @param sourceImage the docker:// source's image reference, or null
     * @param loginSecret the secret holding the destination's login, or null
     */
    static Job append(Job job, Path source, DockerUrl destination, String sourceImage, String loginSecret) {
        Step step = CONTAINERFILES.stream().filter(f -> Files.isRegularFile(source.resolve(f))).findFirst()
                .<Step>map(file -> new Step.BuildImage(".", file, destination.reference(), loginSecret, Pos.NONE))
                .orElseGet(() -> new Step.PublishImage("**", sourceImage == null ? "scratch" : sourceImage, List.of(),
                        destination.reference(), loginSecret, Pos.NONE));
        Set<String> taken = job.tasks().stream().map(Task::name).collect(Collectors.toSet());
        String name = TASK;
        for (int i = 2; taken.contains(name); i++) name = TASK + "-" + i;
        Task push = new Task(name, name, Map.of(), List.of(step), job.tasks().stream().map(Task::name).toList(), null,
                Map.of(), List.of(), List.of(), null, null, 0, 0, false, null, null, null, null, Pos.NONE);
        List<Task> tasks = new ArrayList<>(job.tasks());
        tasks.add(push);
        return new Job(job.name(), job.description(), job.parameters(), job.env(), job.secrets(), job.timeoutMillis(),
                job.agent(), job.concurrency(), job.retryOnRestart(), job.triggers(), tasks, job.notifications(),
                job.publish(), job.pos());
    }
}
