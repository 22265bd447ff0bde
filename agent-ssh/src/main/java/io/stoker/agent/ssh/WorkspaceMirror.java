package io.stoker.agent.ssh;

import org.apache.sshd.sftp.client.SftpClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one run's workspace copy on one agent in step with the server's: before a task, the local files that
 * changed since the last sync go up over SFTP; after it, the remote files it created or changed come back, so
 * tasks elsewhere see them. Files are compared by size and modification time; deletions and symlinks are not
 * carried over. (No git clone on the agent: this works with nothing but {@code sh} and SFTP there.)
 */
final class WorkspaceMirror {
    /** A file's size and modification time on one side; nanoseconds when the side reports them. */
    record Stamp(long size, long mtime) {
    }

    /** What the server's copy looked like when this agent's copy last matched it. */
    private final Map<String, Stamp> synced = new HashMap<>();
    private final Set<String> remoteDirs = new HashSet<>();

    /** Uploads the local files that changed since the last sync; returns how many. */
    synchronized int upload(AgentLink link, Path local, String remote) throws IOException {
        if (!Files.isDirectory(local)) return 0;
        Map<String, Path> files = new LinkedHashMap<>();
        try (var walk = Files.walk(local)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> files.put(local.relativize(p).toString().replace('\\', '/'), p));
        }
        int n = 0;
        for (var e : files.entrySet()) {
            Stamp now = localStamp(e.getValue());
            if (now.equals(synced.get(e.getKey()))) continue;
            put(link.sftp(), e.getValue(), remote, e.getKey());
            synced.put(e.getKey(), now);
            n++;
        }
        return n;
    }

    private void put(SftpClient sftp, Path file, String remoteRoot, String rel) throws IOException {
        int slash = rel.lastIndexOf('/');
        if (slash > 0) mkdirs(sftp, remoteRoot + "/" + rel.substring(0, slash));
        String target = remoteRoot + "/" + rel;
        try (InputStream in = Files.newInputStream(file); OutputStream out = sftp.write(target)) {
            in.transferTo(out);
        }
        var attrs = new SftpClient.Attributes();
        attrs.setPermissions(mode(file));
        sftp.setStat(target, attrs);
    }

    /** Creates an absolute remote directory and its parents (remembered, so each is asked for once). */
    synchronized void mkdirs(SftpClient sftp, String absolute) throws IOException {
        if (remoteDirs.contains(absolute)) return;
        String path = "";
        for (String part : absolute.split("/")) {
            if (part.isEmpty()) continue;
            path = path + "/" + part;
            if (remoteDirs.contains(path)) continue;
            SftpClient.Attributes found = null;
            try {
                found = sftp.stat(path);
            } catch (IOException missing) {
                try {
                    sftp.mkdir(path);
                } catch (IOException raced) { // another run's task made it meanwhile
                    found = sftp.stat(path);
                }
            }
            if (found != null && !found.isDirectory()) throw new IOException(path + " exists and is not a directory");
            remoteDirs.add(path);
        }
    }

    /** Lists the remote workspace's regular files: relative path → stamp and mode. */
    static Map<String, Remote> list(AgentLink link, String remote, Duration timeout) throws IOException {
        AgentLink.Result r = link.exec(RemoteScripts.listing(remote), timeout);
        if (r.ok()) return parse(r.out());
        Map<String, Remote> out = new HashMap<>();
        walk(link.sftp(), remote, "", out); // no GNU find there: SFTP, with one-second times
        return out;
    }

    /** Reads {@link RemoteScripts#listing} output. */
    static Map<String, Remote> parse(String listing) {
        Map<String, Remote> out = new HashMap<>();
        for (String line : listing.split("\n")) {
            String[] f = line.split(" ", 4);
            if (f.length < 4) continue;
            long nanos = new BigDecimal(f[1]).movePointRight(9).longValue();
            out.put(f[3], new Remote(new Stamp(Long.parseLong(f[0]), nanos), Integer.parseInt(f[2], 8)));
        }
        return out;
    }

    /** A remote file's stamp and permission bits. */
    record Remote(Stamp stamp, int mode) {
    }

    private static void walk(SftpClient sftp, String root, String rel, Map<String, Remote> out) throws IOException {
        for (SftpClient.DirEntry e : sftp.readDir(rel.isEmpty() ? root : root + "/" + rel)) {
            String name = e.getFilename();
            if (name.equals(".") || name.equals("..")) continue;
            String child = rel.isEmpty() ? name : rel + "/" + name;
            SftpClient.Attributes a = e.getAttributes();
            if (a.isDirectory()) walk(sftp, root, child, out);
            else if (a.isRegularFile()) {
                long mtime = a.getModifyTime() == null ? 0 : a.getModifyTime().to(TimeUnit.NANOSECONDS);
                out.put(child, new Remote(new Stamp(a.getSize(), mtime), a.getPermissions() & 0777));
            }
        }
    }

    /** Downloads the remote files that differ from {@code before} (the listing taken when the task started). */
    synchronized int download(AgentLink link, String remote, Path local, Map<String, Remote> before, Duration timeout)
            throws IOException {
        Map<String, Remote> after = list(link, remote, timeout);
        int n = 0;
        for (var e : after.entrySet()) {
            Remote was = before.get(e.getKey());
            if (was != null && was.stamp().equals(e.getValue().stamp())) continue;
            Path target = local.resolve(e.getKey()).normalize();
            if (!target.startsWith(local)) continue; // a name climbing out of the workspace is ignored
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".stoker-", ".part");
            try (InputStream in = link.sftp().read(remote + "/" + e.getKey())) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, permissions(e.getValue().mode()));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            synced.put(e.getKey(), localStamp(target));
            n++;
        }
        return n;
    }

    private static Stamp localStamp(Path p) throws IOException {
        return new Stamp(Files.size(p), Files.getLastModifiedTime(p).to(TimeUnit.NANOSECONDS));
    }

    private static int mode(Path p) throws IOException {
        int m = 0;
        for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) m |= 1 << (8 - perm.ordinal());
        return m;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) s.add(all[i]);
        if (s.isEmpty()) return PosixFilePermissions.fromString("rw-r--r--");
        return s;
    }
}
