package io.stoker.engine.cache;

import io.stoker.engine.exec.local.ArtifactZip;
import io.stoker.engine.files.SlashPath;
import io.stoker.engine.files.WorkspaceFiles;
import io.stoker.model.Cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A cache's full key: its name and eight hex digits of a SHA-256 over its paths, the task's matrix values (cells of
 * one task keep caches apart) and the path and contents of every workspace file its {@code files} globs match, so a
 * changed lock file gives a new key (GitLab's {@code key: files:}, GitHub's {@code hashFiles}).
 *
 * @param full      {@code deps-1a2b3c4d}
 * @param unmatched the {@code files} globs that matched no file (told in the task's log: a typo keeps one key forever)
 */
public record CacheKey(String full, List<String> unmatched) {

    public CacheKey {
        unmatched = List.copyOf(unmatched);
    }

    /** The key of {@code cache} for a task of {@code matrix} values, reading the key files in {@code workspace}. */
    public static CacheKey of(Cache cache, Map<String, String> matrix, Path workspace) throws IOException {
        MessageDigest sha = sha256();
        for (String path : cache.paths()) field(sha, "path", path);
        matrix.forEach((axis, value) -> field(sha, "matrix", axis + "=" + value));
        List<String> unmatched = List.of();
        if (!cache.files().isEmpty()) {
            try (WorkspaceFiles files = WorkspaceFiles.open(workspace)) {
                List<WorkspaceFiles.Entry> matched = ArtifactZip.matching(files, cache.files());
                for (WorkspaceFiles.Entry e : matched) {
                    field(sha, "file", SlashPath.of(e.relative()));
                    field(sha, "sha256", contentHash(files, e));
                }
                unmatched = ArtifactZip.unmatched(cache.files(), matched.stream().map(e -> SlashPath.of(e.relative())).toList());
            }
        }
        return new CacheKey(cache.key() + "-" + HexFormat.of().formatHex(sha.digest(), 0, 4), unmatched);
    }

    private static String contentHash(WorkspaceFiles files, WorkspaceFiles.Entry e) throws IOException {
        MessageDigest sha = sha256();
        try (WorkspaceFiles.Opened in = files.open(e)) {
            InputStream read = Channels.newInputStream(in.channel());
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = read.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A length-prefixed field, so that no two different inputs hash the same bytes. */
    private static void field(MessageDigest sha, String name, String value) {
        byte[] bytes = (name + ":" + value).getBytes(StandardCharsets.UTF_8);
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
