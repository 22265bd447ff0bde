package io.stoker.cli.run;

import io.stoker.cli.CliException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a local run keeps its files under the data directory:
 * <pre>
 * DATA/runs/JOB-N/run.json            the run record, rewritten on every change
 * DATA/runs/JOB-N/logs/TASK.log       one log per task, timestamped lines
 * DATA/runs/JOB-N/artifacts/…         staged/ or published/ zips
 * DATA/runs/JOB-N/workspace/          the copy of the Jobfile's directory the tasks work in
 * DATA/scratch/JOB-N/…                per-attempt scripts and output files
 * DATA/caches/…                       tasks' caches, kept from run to run (engine's FileCacheStore.local)
 * </pre>
 * Run numbers count up per job; a number is claimed by creating its directory, so two concurrent runs never share.
 */
public record LocalRunLayout(Path dataDir) {

    public Path runsRoot() {
        return dataDir.resolve("runs");
    }

    public Path scratchRoot() {
        return dataDir.resolve("scratch");
    }

    public Path workspace(String runKey) {
        return runsRoot().resolve(runKey).resolve("workspace");
    }

    /** A claimed run: its key ({@code JOB-N}) and number. */
    public record Claim(String key, long number) {
    }

    public Claim claimNextRun(String job) {
        try {
            Files.createDirectories(runsRoot());
            // the key names the run's directory: a job name with a space or '/' is made safe as the stores make it
            String base = io.stoker.engine.files.SafeFileName.of(job);
            long next = highestNumber(base) + 1;
            for (int tries = 0; tries < 1000; tries++, next++) {
                String key = base + "-" + next;
                try {
                    Files.createDirectory(runsRoot().resolve(key));
                    return new Claim(key, next);
                } catch (FileAlreadyExistsException taken) {
                    // another run claimed it first: try the next number
                }
            }
            throw CliException.invalid("cannot claim a run directory under " + runsRoot());
        } catch (IOException e) {
            throw CliException.invalid("cannot use the data directory " + dataDir + ": " + io.stoker.cli.FileProblem.directoryReason(dataDir, e));
        }
    }

    /**
     * Gives back a claimed run that never started (its workspace could not be made): a refusal leaves no run
     * directory behind, and the next run takes the number again.
     */
    public void release(String runKey) {
        io.stoker.engine.files.FileTrees.deleteQuietly(runsRoot().resolve(runKey));
        io.stoker.engine.files.FileTrees.deleteQuietly(scratchRoot().resolve(runKey));
    }

    private long highestNumber(String job) throws IOException {
        Pattern name = Pattern.compile(Pattern.quote(job) + "-(\\d{1,18})");
        try (Stream<Path> dirs = Files.list(runsRoot())) {
            return dirs.map(p -> name.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1)))
                    .max().orElse(0);
        }
    }
}
