package io.stoker.agent.ssh;

import io.stoker.agent.protocol.FileEntry;
import io.stoker.agent.protocol.WorkspaceChanges;
import io.stoker.engine.files.FileTrees;
import org.apache.sshd.sftp.client.SftpClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one run's workspace copy on one agent an exact mirror of the server's: before a task, what changed since
 * the last sync goes up (file bytes over SFTP; deletions, directories, symbolic links and modes in one shell
 * command); after it, what the task created, changed or deleted comes back, so tasks elsewhere see it. Each side is
 * compared only with itself: the server's copy with how it looked at the last sync, the agent's with the listing
 * taken when the task started. (No git clone on the agent: this needs nothing but {@code sh} and SFTP there.)
 */
final class WorkspaceMirror {
    /**
     * One workspace entry: {@code kind} is {@code f} (regular file), {@code d} (directory) or {@code l} (symbolic
     * link, {@code target} as written); {@code mtime} in nanoseconds; {@code mode} the permission bits.
     */
    record Entry(char kind, long size, long mtime, int mode, String target) {
        /** Whether the entry needs no copying: same kind, and the same bytes (size, time), mode or link target. */
        boolean same(Entry other) {
            if (other == null || other.kind != kind) return false;
            return switch (kind) {
                case 'l' -> target.equals(other.target);
                case 'd' -> mode == other.mode;
                default -> size == other.size && mtime == other.mtime && mode == other.mode;
            };
        }
    }

    /** The server's copy as it looked when this agent's copy last matched it. */
    private final Map<String, Entry> synced = new HashMap<>();
    private final Set<String> remoteDirs = new HashSet<>();
    /**
     * Whether the agent's copy held files before this mirror's first upload: what an earlier server process left there
     * (a run a restart or a takeover queued again), emptied then, so the run starts afresh and not on its killed
     * attempt's files.
     */
    private boolean leftovers;
    private boolean uploaded;

    /** Brings the agent's copy in step with the server's; returns how many entries were sent or deleted. */
    synchronized int upload(AgentLink link, Path local, String remote, Duration timeout) throws IOException {
        if (!Files.isDirectory(local)) return 0;
        Map<String, Entry> now = localEntries(local);
        List<String> commands = new ArrayList<>();
        List<String> dirModes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        int n = 0;
        if (leftovers) {
            // every entry, dot files too; a pattern that matches nothing stays as written and rm -f passes over it
            commands.add("rm -rf -- ./* ./.[!.]* ./..?*");
        }
        for (var e : new TreeMap<>(synced).descendingMap().entrySet()) { // children before their directories
            Entry current = now.get(e.getKey());
            if (current == null || current.kind() != e.getValue().kind()) {
                commands.add("rm -rf -- " + Shell.quote(e.getKey()));
                synced.remove(e.getKey());
                if (current == null) n++;
            }
        }
        for (var e : new TreeMap<>(now).entrySet()) { // directories before their children
            Entry entry = e.getValue();
            if (entry.same(synced.get(e.getKey()))) continue;
            String path = Shell.quote(e.getKey());
            switch (entry.kind()) {
                case 'd' -> {
                    commands.add("mkdir -p -- " + path);
                    dirModes.add("chmod " + Integer.toOctalString(entry.mode()) + " -- " + path);
                }
                case 'l' -> commands.add("rm -rf -- " + path + " && ln -s -- " + Shell.quote(entry.target()) + " " + path);
                default -> files.add(e.getKey());
            }
            n++;
        }
        if (!commands.isEmpty()) shell(link, remote, commands, timeout);
        leftovers = false;
        uploaded = true;
        for (String rel : files) put(link.sftp(), local.resolve(rel), remote, rel, now.get(rel).mode());
        if (!dirModes.isEmpty()) shell(link, remote, dirModes, timeout); // last: a read-only directory gets its files first
        synced.putAll(now);
        return n;
    }

    /**
     * Makes the agent's workspace directory {@code ws} (absolute) and its parents. Before the first upload, one that
     * is there already is an earlier server process's copy: the first upload empties it.
     */
    synchronized void makeWorkspace(SftpClient sftp, String ws) throws IOException {
        if (!uploaded && !remoteDirs.contains(ws)) {
            try {
                leftovers = sftp.stat(ws).isDirectory();
            } catch (IOException missing) {
                leftovers = false;
            }
        }
        mkdirs(sftp, ws);
    }

    /** Runs the commands in the remote workspace, in order, batched under the kernel's 128 KiB argument limit. */
    private static void shell(AgentLink link, String remote, List<String> commands, Duration timeout) throws IOException {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            if (!batch.isEmpty()) batch.append(" && ");
            batch.append(commands.get(i));
            if (i == commands.size() - 1 || batch.length() + commands.get(i + 1).length() > 60_000) {
                AgentLink.Result r = link.exec("cd " + Shell.quote(remote) + " && " + batch, timeout);
                if (!r.ok()) throw new IOException("cannot update the workspace copy " + remote + ": " + r.err().trim());
                batch.setLength(0);
            }
        }
    }

    private void put(SftpClient sftp, Path file, String remoteRoot, String rel, int mode) throws IOException {
        int slash = rel.lastIndexOf('/');
        if (slash > 0) mkdirs(sftp, remoteRoot + "/" + rel.substring(0, slash));
        String target = remoteRoot + "/" + rel;
        try (InputStream in = Files.newInputStream(file); OutputStream out = sftp.write(target)) {
            in.transferTo(out);
        }
        var attrs = new SftpClient.Attributes();
        attrs.setPermissions(mode);
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

    /** Lists the remote workspace: relative path → entry. */
    static Map<String, Entry> list(AgentLink link, String remote, Duration timeout) throws IOException {
        AgentLink.Result r = link.exec(RemoteScripts.listing(remote), timeout);
        if (r.ok()) return parse(r.out());
        Map<String, Entry> out = new HashMap<>();
        walk(link.sftp(), remote, "", out); // no GNU find there: SFTP, with one-second times
        return out;
    }

    /** Reads {@link RemoteScripts#listing} output: {@code kind size time mode path NUL link-target NUL} per entry. */
    static Map<String, Entry> parse(String listing) {
        Map<String, Entry> out = new HashMap<>();
        String[] fields = listing.split("\0", -1);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            String[] f = fields[i].split(" ", 5);
            if (f.length < 5 || f[0].length() != 1 || "fdl".indexOf(f[0].charAt(0)) < 0) continue;
            long nanos = new BigDecimal(f[2]).movePointRight(9).longValue();
            out.put(f[4], new Entry(f[0].charAt(0), Long.parseLong(f[1]), nanos, Integer.parseInt(f[3], 8), fields[i + 1]));
        }
        return out;
    }

    private static void walk(SftpClient sftp, String root, String rel, Map<String, Entry> out) throws IOException {
        for (SftpClient.DirEntry e : sftp.readDir(rel.isEmpty() ? root : root + "/" + rel)) {
            String name = e.getFilename();
            if (name.equals(".") || name.equals("..")) continue;
            String child = rel.isEmpty() ? name : rel + "/" + name;
            SftpClient.Attributes a = e.getAttributes();
            long mtime = a.getModifyTime() == null ? 0 : a.getModifyTime().to(TimeUnit.NANOSECONDS);
            int mode = a.getPermissions() & 07777;
            if (a.isSymbolicLink()) {
                out.put(child, new Entry('l', 0, mtime, mode, sftp.readLink(root + "/" + child)));
            } else if (a.isDirectory()) {
                out.put(child, new Entry('d', 0, mtime, mode, ""));
                walk(sftp, root, child, out);
            } else if (a.isRegularFile()) {
                out.put(child, new Entry('f', a.getSize(), mtime, mode, ""));
            }
        }
    }

    /**
     * Brings back what the task changed on the agent, measured against {@code before} (the listing taken when the
     * task started): new and changed files, directories and links, and deletions. Nothing is written through a
     * symbolic link or outside the workspace.
     */
    synchronized int download(AgentLink link, String remote, Path local, Map<String, Entry> before, Duration timeout)
            throws IOException {
        Map<String, Entry> after = list(link, remote, timeout);
        List<String> gone = before.keySet().stream().filter(k -> !after.containsKey(k))
                .sorted(Comparator.reverseOrder()).toList();
        TreeMap<String, Entry> changed = new TreeMap<>();
        after.forEach((rel, entry) -> {
            if (!entry.same(before.get(rel))) changed.put(rel, entry);
        });
        return bringBack(link, remote, local, gone, changed);
    }

    /**
     * As {@link #download}, with the changes the agent program measured itself (no listing over the link): only the
     * changed files' bytes travel.
     */
    synchronized int download(AgentLink link, String remote, Path local, WorkspaceChanges changes) throws IOException {
        TreeMap<String, Entry> changed = new TreeMap<>();
        for (FileEntry f : changes.changed()) {
            changed.put(f.path(), new Entry(f.kind(), f.size(), f.mtime(), f.mode(), f.target() == null ? "" : f.target()));
        }
        return bringBack(link, remote, local, changes.deleted(), changed);
    }

    /** Deletes {@code gone} (children first) and copies {@code changed} (parents first) into the server's copy. */
    private int bringBack(AgentLink link, String remote, Path local, List<String> gone, TreeMap<String, Entry> changed)
            throws IOException {
        Path root = local.toRealPath();
        int n = 0;
        for (String rel : gone) {
            Path target = inside(root, rel);
            if (target == null) continue;
            FileTrees.delete(target);
            synced.remove(rel);
            n++;
        }
        Map<Path, Integer> dirModes = new TreeMap<>(Comparator.reverseOrder());
        List<String> brought = new ArrayList<>();
        for (var e : changed.entrySet()) {
            Entry entry = e.getValue();
            Path target = inside(root, e.getKey());
            if (target == null) continue; // a name climbing out of the workspace, or through a link, is ignored
            Entry here = localEntry(target);
            if (here != null && here.kind() != entry.kind()) FileTrees.delete(target);
            switch (entry.kind()) {
                case 'd' -> {
                    Files.createDirectories(target);
                    dirModes.put(target, entry.mode());
                }
                case 'l' -> {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.target()));
                }
                default -> fetch(link, remote + "/" + e.getKey(), target, entry.mode());
            }
            brought.add(e.getKey());
            n++;
        }
        for (var d : dirModes.entrySet()) Files.setPosixFilePermissions(d.getKey(), permissions(d.getValue()));
        for (String rel : brought) {
            Entry here = localEntry(root.resolve(rel));
            if (here != null) synced.put(rel, here); // both copies hold it now
        }
        return n;
    }

    private static void fetch(AgentLink link, String remoteFile, Path target, int mode) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".stoker-", ".part");
        try (InputStream in = link.sftp().read(remoteFile)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, permissions(mode));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code root/rel} when it stays inside {@code root} and no directory on the way is a symbolic link. */
    private static Path inside(Path root, String rel) {
        Path target = root.resolve(rel).normalize();
        if (!target.startsWith(root) || target.equals(root)) return null;
        for (Path p = target.getParent(); !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) return null;
        }
        return target;
    }

    /** The server's workspace: relative path → entry; links are listed, never followed. */
    static Map<String, Entry> localEntries(Path root) throws IOException {
        Map<String, Entry> out = new HashMap<>();
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) continue;
                Entry e = localEntry(p);
                if (e != null) out.put(root.relativize(p).toString().replace('\\', '/'), e);
            }
        }
        return out;
    }

    /** The entry at {@code p}, or null when there is none or it is not a file, directory or link. */
    private static Entry localEntry(Path p) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        int mode = mode(a.permissions());
        long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (a.isSymbolicLink()) return new Entry('l', 0, mtime, mode, Files.readSymbolicLink(p).toString());
        if (a.isDirectory()) return new Entry('d', 0, mtime, mode, "");
        if (a.isRegularFile()) return new Entry('f', a.size(), mtime, mode, "");
        return null;
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int m = 0;
        for (PosixFilePermission perm : permissions) m |= 1 << (8 - perm.ordinal());
        return m;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) s.add(all[i]);
        return s;
    }
}
