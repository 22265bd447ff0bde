package io.stoker.engine.tests;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.engine.exec.CollectionStopped;
import io.stoker.engine.exec.RunningTask;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a task attempt's test reports. The files are taken from its workspace by the executor's own artifact
 * collection ({@link RunningTask#collectArtifacts}) into a scratch zip: the same rules hold as for artifacts (regular
 * files only, never read through a link leading out of the workspace), on the server's host, an agent or in a
 * container alike. Each is then parsed as {@link JUnitXml}; one that is not JUnit XML or is too large is named in the
 * notes, never failing the task.
 */
public final class TestReports {
    /** The largest report file read; a bigger one is left out with a note. */
    public static final long MAX_FILE_BYTES = 32L << 20;

    private TestReports() {
    }

    /**
     * What the reports said and the lines the task's log gets about them.
     *
     * @param summary null when no report file was read as JUnit XML
     */
    public record Read(TestSummary summary, List<String> notes) {
        public Read {
            notes = List.copyOf(notes);
        }
    }

    /** Collects the files the globs match from the attempt's workspace and reads them; {@code stopped} as for artifacts. */
    public static Read read(RunningTask attempt, List<String> globs, BooleanSupplier stopped) {
        Path zip = null;
        List<String> notes = new ArrayList<>();
        try {
            zip = Files.createTempFile("stoker-test-reports-", ".zip");
            CollectedArtifacts collected = attempt.collectArtifacts(globs, zip, stopped);
            for (String left : collected.leftOut()) notes.add("test report left out: " + left);
            if (collected.files() == 0) {
                notes.add("no files matched testReports " + globs);
                return new Read(null, notes);
            }
            TestSummary summary = parse(zip, notes);
            if (summary == null) notes.add("tests: none of the files matching " + String.join(", ", globs) + " is JUnit XML");
            else notes.add("tests: " + summary.counts() + " (" + String.join(", ", globs) + ": " + summary.files()
                    + (summary.files() == 1 ? " file)" : " files)"));
            return new Read(summary, notes);
        } catch (CollectionStopped e) {
            notes.add("test reports not read: the task was stopped while they were collected");
            return new Read(null, notes);
        } catch (IOException | RuntimeException e) {
            notes.add("cannot read test reports: " + e.getMessage());
            return new Read(null, notes);
        } finally {
            if (zip != null) zip.toFile().delete();
        }
    }

    /** Sums up the reports in {@code zip} (paths relative to the workspace); null when none is JUnit XML. */
    static TestSummary parse(Path zip, List<String> notes) throws IOException {
        int total = 0, failed = 0, errors = 0, skipped = 0, files = 0;
        long durationMs = 0;
        List<FailedTest> kept = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(z.entries())) {
                if (entry.isDirectory()) continue;
                if (entry.getSize() > MAX_FILE_BYTES) {
                    notes.add("test report " + entry.getName() + " is not read: it is over " + (MAX_FILE_BYTES >> 20)
                            + " MiB");
                    continue;
                }
                ReportFile read;
                try (InputStream in = z.getInputStream(entry)) {
                    read = JUnitXml.read(in, TestSummary.KEPT_FAILURES - kept.size());
                }
                switch (read) {
                    case ReportFile.NotJUnit n -> notes.add("test report " + entry.getName() + " is not JUnit XML: " + n.why());
                    case ReportFile.JUnit j -> {
                        files++;
                        total += j.total();
                        failed += j.failed();
                        errors += j.errors();
                        skipped += j.skipped();
                        durationMs += j.durationMs();
                        for (FailedTest f : j.failures()) kept.add(f.in(entry.getName()));
                    }
                }
            }
        }
        return files == 0 ? null : new TestSummary(total, failed, errors, skipped, durationMs, files, kept);
    }
}
