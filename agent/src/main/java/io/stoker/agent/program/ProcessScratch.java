package io.stoker.agent.program;

import io.stoker.engine.exec.local.LocalExecutor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The scratch directory of one agent process: {@code ROOT/<its PID>}, so that agent processes sharing a directory
 * (daemons of several servers, a pull agent started again) never take each other's tasks for leftovers. Claiming it
 * first stops what the tasks of agent processes that are gone left running (found by the output file their
 * environment names, under their own scratch directory: see {@link LocalExecutor#sweepLeftovers(Path)}) and removes
 * those directories. A killed agent program's tasks run on in sessions of their own: without this a task the server
 * then failed as lost, or tried again, kept running beside its retry.
 */
public record ProcessScratch(Path dir, int stopped) {

    /** Claims this process's scratch directory under {@code root}, after clearing those of agent processes gone. */
    public static ProcessScratch claim(Path root) throws IOException {
        Files.createDirectories(root);
        long self = ProcessHandle.current().pid();
        int stopped = 0;
        List<Path> entries;
        try (var list = Files.list(root)) {
            entries = list.filter(Files::isDirectory).toList();
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (!name.chars().allMatch(Character::isDigit) || name.isEmpty() || name.length() > 18) continue;
            long pid = Long.parseLong(name);
            if (pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
            stopped += LocalExecutor.sweepLeftovers(entry);
            Files.deleteIfExists(entry);
        }
        Path dir = Files.createDirectories(root.resolve(Long.toString(self)));
        return new ProcessScratch(dir, stopped);
    }
}
