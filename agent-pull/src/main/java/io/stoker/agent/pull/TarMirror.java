package io.stoker.agent.pull;

import io.stoker.agent.program.WorkspaceSnapshot;
import io.stoker.agent.protocol.FileEntry;
import io.stoker.agent.protocol.WorkspaceChanges;
import io.stoker.engine.files.FileTrees;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one run's workspace copy on a pull agent in step with the server's, through tar streams on helper tasks
 * (the agent needs {@code bash} and GNU {@code tar}; no inbound port, no SFTP): before a task, what changed on the
 * server since the last sync goes up; after it, the files the agent program reports as changed
 * ({@link WorkspaceChanges}) come back. Nothing from the agent is written outside the server's workspace or
 * through a symbolic link.
 */
final class TarMirror {
    private final PullAgent agent;
    private final String remote;
    /** The server's copy as it was when the agent's copy last matched it. */
    private final Map<String, FileEntry> synced = new HashMap<>();

    TarMirror(PullAgent agent, String remote) {
        this.agent = agent;
        this.remote = remote;
    }

    String remote() {
        return remote;
    }

    /** Brings the agent's copy in step with {@code local}; returns how many entries were sent or deleted. */
    synchronized int upload(Path local) throws IOException {
        HelperTask.run(agent, "/", "mkdir -p -- " + quote(remote), null, null);
        if (!Files.isDirectory(local)) return 0;
        Map<String, FileEntry> now = WorkspaceSnapshot.take(local);
        WorkspaceChanges changes = WorkspaceSnapshot.diff(synced, now);
        List<String> delete = new ArrayList<>(changes.deleted());
        for (FileEntry e : changes.changed()) {
            FileEntry was = synced.get(e.path());
            if (was != null && was.kind() != e.kind()) delete.add(e.path()); // a directory became a file, …
        }
        if (!delete.isEmpty()) {
            HelperTask.run(agent, remote, "xargs -0 -r rm -rf --", in -> {
                for (String p : delete) in.write((p + "\0").getBytes(StandardCharsets.UTF_8));
            }, null);
        }
        if (!changes.changed().isEmpty()) {
            HelperTask.run(agent, remote, "tar -x -p -f -", in -> writeTar(local, changes.changed(), in), null);
        }
        synced.clear();
        synced.putAll(now);
        return delete.size() + changes.changed().size();
    }

    private static void writeTar(Path local, List<FileEntry> entries, OutputStream to) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(to, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (FileEntry e : entries) {
            TarArchiveEntry t;
            switch (e.kind()) {
                case 'd' -> {
                    t = new TarArchiveEntry(e.path() + "/");
                    t.setMode(040000 | e.mode());
                }
                case 'l' -> {
                    t = new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK);
                    t.setLinkName(e.target());
                }
                default -> {
                    t = new TarArchiveEntry(e.path());
                    t.setMode(0100000 | e.mode());
                    t.setSize(e.size());
                }
            }
            t.setModTime(FileTime.from(e.mtime(), TimeUnit.NANOSECONDS));
            tar.putArchiveEntry(t);
            if (e.kind() == 'f') {
                try (InputStream in = Files.newInputStream(local.resolve(e.path()))) {
                    long n = in.transferTo(new Bounded(tar, e.size()));
                    if (n != e.size()) throw new IOException(e.path() + " changed while it was sent");
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    /**
     * Brings back what a task changed on the agent: deletions, directories and links from the list itself, file
     * bytes in one tar stream. Returns how many entries changed here.
     */
    synchronized int download(Path local, WorkspaceChanges changes) throws IOException {
        Path root = local.toRealPath();
        int n = 0;
        for (String rel : changes.deleted()) {
            Path target = inside(root, rel);
            if (target == null) continue;
            FileTrees.delete(target);
            n++;
        }
        Map<String, FileEntry> files = new HashMap<>();
        List<Map.Entry<Path, Integer>> dirModes = new ArrayList<>();
        for (FileEntry e : changes.changed()) {
            Path target = inside(root, e.path());
            if (target == null) continue; // a name climbing out of the workspace, or through a link, is ignored
            boolean isDir = Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && (isDir != (e.kind() == 'd'))) {
                FileTrees.delete(target);
            }
            switch (e.kind()) {
                case 'd' -> {
                    Files.createDirectories(target);
                    dirModes.add(Map.entry(target, e.mode()));
                }
                case 'l' -> {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.target()));
                }
                default -> files.put(e.path(), e);
            }
            n++;
        }
        if (!files.isEmpty()) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String p : files.keySet()) list.write((p + "\0").getBytes(StandardCharsets.UTF_8));
            Set<String> brought = new HashSet<>();
            HelperTask.run(agent, remote, "tar -c -f - --no-recursion --null -T -", in -> list.writeTo(in),
                    out -> readTar(root, files, brought, out));
            if (brought.size() != files.size()) {
                int missing = files.size() - brought.size();
                throw new IOException(io.stoker.model.Plural.of(missing, "changed file") + " did not come back");
            }
        }
        dirModes.sort(Map.Entry.<Path, Integer>comparingByKey().reversed());
        for (var d : dirModes) Files.setPosixFilePermissions(d.getKey(), permissions(d.getValue()));
        // both copies hold these now
        Map<String, FileEntry> here = WorkspaceSnapshot.take(root);
        changes.deleted().forEach(synced::remove);
        for (FileEntry e : changes.changed()) {
            FileEntry h = here.get(e.path());
            if (h != null) synced.put(e.path(), h);
        }
        return n;
    }

    private static void readTar(Path root, Map<String, FileEntry> wanted, Set<String> brought, InputStream from)
            throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(from, StandardCharsets.UTF_8.name());
        for (TarArchiveEntry t = tar.getNextEntry(); t != null; t = tar.getNextEntry()) {
            String name = t.getName();
            FileEntry e = wanted.get(name);
            if (e == null || !t.isFile()) continue; // only what was asked for, and only regular files
            Path target = inside(root, name);
            if (target == null) continue;
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".stoker-", ".part");
            try {
                Files.copy(tar, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, permissions(t.getMode() & 0777));
                Files.setLastModifiedTime(tmp, t.getLastModifiedTime());
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            brought.add(name);
        }
    }

    /** Removes the run's copy on the agent. */
    synchronized void remove() throws IOException {
        String run = remote.substring(0, remote.lastIndexOf('/'));
        HelperTask.run(agent, "/", "rm -rf -- " + quote(run), null, null);
        synced.clear();
    }

    /** {@code root/rel} when it stays inside {@code root} and no directory on the way is a symbolic link. */
    static Path inside(Path root, String rel) {
        Path target = root.resolve(rel).normalize();
        if (!target.startsWith(root) || target.equals(root)) return null;
        for (Path p = target.getParent(); !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) return null;
        }
        return target;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) s.add(all[i]);
        return s;
    }

    /** Passes at most {@code left} bytes on, so a file that grew while it was sent does not break the tar entry. */
    private static final class Bounded extends OutputStream {
        private final OutputStream to;
        private long left;

        Bounded(OutputStream to, long left) {
            this.to = to;
            this.left = left;
        }

        @Override
        public void write(int b) throws IOException {
            if (left > 0) {
                to.write(b);
                left--;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            if (n > 0) to.write(b, off, n);
            left -= n;
        }
    }
}
