package io.stoker.server

import java.nio.file.Files
import java.nio.file.Path

/** What specs of tasks left running on agents ask of this machine's processes. */
class TaskProcesses {
    /** Whether the process runs (a zombie waiting for its parent to reap it runs no more). */
    static boolean running(long pid) {
        Path stat = Path.of("/proc/$pid/stat")
        if (!Files.exists(stat)) return false
        try {
            String s = stat.text
            s.substring(s.lastIndexOf(')') + 2).split(' ')[0] != 'Z'
        } catch (IOException ignored) {
            false
        }
    }
}
