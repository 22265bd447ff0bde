package io.stoker.agent.protocol;

/**
 * One entry of a workspace, as the agent saw it.
 *
 * @param path   relative to the workspace, {@code /}-separated
 * @param kind   {@code f} regular file, {@code d} directory, {@code l} symbolic link
 * @param size   bytes (files)
 * @param mtime  modification time in nanoseconds since the epoch
 * @param mode   permission bits ({@code 0755})
 * @param target a link's target as written, else null
 */
public record FileEntry(String path, char kind, long size, long mtime, int mode, String target) {
}
