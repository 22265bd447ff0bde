package io.stoker.engine.artifact;

import io.stoker.engine.files.SafeFileName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Artifacts as files: {@code <root>/<run>/artifacts/staged/<task>.zip} while the run goes on,
 * moved to {@code <root>/<run>/artifacts/published/} when the run succeeded. A failed run's zips stay in
 * {@code staged/} next to an {@code UNPUBLISHED} file that says why.
 */
public final class FileArtifactStore implements ArtifactStore {
    public static final String UNPUBLISHED_MARKER = "UNPUBLISHED";

    private final Path root;

    public FileArtifactStore(Path root) {
        this.root = root;
    }

    private Path dir(String runKey) {
        return root.resolve(SafeFileName.of(runKey)).resolve("artifacts");
    }

    /** Where staged zips of a run are. */
    public Path stagedDir(String runKey) {
        return dir(runKey).resolve("staged");
    }

    /** Where published zips of a run are. */
    public Path publishedDir(String runKey) {
        return dir(runKey).resolve("published");
    }

    @Override
    public Path newStagingFile(String runKey, String task) throws IOException {
        Path tmp = Files.createDirectories(dir(runKey).resolve("tmp"));
        return Files.createTempFile(tmp, SafeFileName.of(task) + "-", ".zip.part");
    }

    @Override
    public Path stage(String runKey, String task, Path zip) throws IOException {
        Path target = Files.createDirectories(stagedDir(runKey)).resolve(SafeFileName.of(task) + ".zip");
        return Files.move(zip, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Map<String, Path> publish(String runKey) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Path staged = stagedDir(runKey);
        if (!Files.isDirectory(staged)) return out;
        Path published = Files.createDirectories(publishedDir(runKey));
        try (var files = Files.list(staged)) {
            for (Path zip : files.filter(p -> p.toString().endsWith(".zip")).sorted().toList()) {
                String task = zip.getFileName().toString().replaceFirst("\\.zip$", "");
                out.put(task, Files.move(zip, published.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING));
            }
        }
        Files.deleteIfExists(staged.resolve(UNPUBLISHED_MARKER));
        return out;
    }

    @Override
    public Map<String, Path> keepUnpublished(String runKey, String reason) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Path staged = stagedDir(runKey);
        if (!Files.isDirectory(staged)) return out;
        try (var files = Files.list(staged)) {
            for (Path zip : files.filter(p -> p.toString().endsWith(".zip")).sorted().toList()) {
                out.put(zip.getFileName().toString().replaceFirst("\\.zip$", ""), zip);
            }
        }
        Files.writeString(staged.resolve(UNPUBLISHED_MARKER), "not published: " + reason + "\n");
        return out;
    }
}
