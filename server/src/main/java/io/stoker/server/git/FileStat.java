package io.stoker.server.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What {@code lstat} says of one path of a cached checkout, enough to tell that nothing touched it since: a write,
 * a {@code chmod}, a rename over it or a delete-and-recreate all change the inode number or the change time, and no
 * process can set the change time back (unlike the modification time, which {@code touch} sets).
 *
 * @param mode        {@code st_mode}: the type bits and the permissions
 * @param inode       {@code st_ino}
 * @param changedNanos {@code st_ctime} in nanoseconds
 * @param modifiedMillis {@code st_mtime} in milliseconds (the index of the workspace's {@code .git} records it)
 * @param size        {@code st_size}
 */
record FileStat(int mode, long inode, long changedNanos, long modifiedMillis, long size) {
    private static final int TYPE_BITS = 0170000;
    private static final int DIRECTORY = 0040000;

    /** The path's own status (a symbolic link is not followed). */
    static FileStat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:mode,ino,ctime,lastModifiedTime,size",
                LinkOption.NOFOLLOW_LINKS);
        FileTime changed = (FileTime) a.get("ctime");
        var instant = changed.toInstant();
        return new FileStat((Integer) a.get("mode"), (Long) a.get("ino"),
                instant.getEpochSecond() * 1_000_000_000L + instant.getNano(),
                ((FileTime) a.get("lastModifiedTime")).toMillis(), (Long) a.get("size"));
    }

    boolean isDirectory() {
        return (mode & TYPE_BITS) == DIRECTORY;
    }

    /**
     * True when {@code now} is this path untouched. A directory's change time moves whenever an entry is added or
     * removed, so directories compare by type, permissions and inode only (their entries are compared one by one).
     */
    boolean unchanged(FileStat now) {
        if (isDirectory()) return now.mode == mode && now.inode == inode;
        return now.mode == mode && now.inode == inode && now.changedNanos == changedNanos && now.size == size;
    }
}
