package io.stoker.agent.ssh;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The shell text written into an attempt directory. {@code run.sh} is the detached wrapper: started with
 * {@code setsid} from a short exec channel, it starts the task in a session and process group of its own (so a kill
 * reaches every descendant, and the SSH connection ending reaches none), records the task's process group id, waits
 * for it and writes the exit code atomically ({@code exit.tmp} renamed to {@code exit}).
 */
final class RemoteScripts {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RemoteScripts() {
    }

    /** {@code export NAME='value'} lines, sourced by the wrapper; names a shell cannot export are left out. */
    static String envFile(Map<String, String> env) {
        StringBuilder b = new StringBuilder();
        env.forEach((k, v) -> {
            if (NAME.matcher(k).matches()) b.append("export ").append(k).append('=').append(Shell.quote(v)).append('\n');
        });
        return b.toString();
    }

    /** The file name of step {@code i} (1-based): a shebang step is executed itself, any other goes to the shell. */
    static String stepFile(int i, String script) {
        return "step-" + i + (script.startsWith("#!") ? "" : ".sh");
    }

    /**
     * Runs the steps in order and stops at the first failure with its exit code; {@code $STOKER_SH} is the shell.
     * A step whose text {@code holdsSecret} is deleted as soon as it ends (its directory goes when the attempt is
     * released).
     */
    static String steps(String dir, List<String> scripts, Predicate<String> holdsSecret) {
        if (scripts.isEmpty()) return "exit 0\n";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < scripts.size(); i++) {
            String file = Shell.quote(dir + "/" + stepFile(i + 1, scripts.get(i)));
            String cmd = scripts.get(i).startsWith("#!") ? file : "\"$STOKER_SH\" -e " + file;
            if (holdsSecret.test(scripts.get(i))) {
                b.append(cmd).append("; s=$?; rm -f ").append(file).append("; [ $s -eq 0 ] || exit $s\n");
            } else {
                b.append(i == scripts.size() - 1 ? "exec " + cmd + "\n" : cmd + " || exit $?\n");
            }
        }
        return b.toString();
    }

    static String wrapper(String dir, String workspace, boolean piped) {
        String a = Shell.quote(dir);
        String in = piped ? a + "/stdin" : "/dev/null";
        return "# Stoker: one task attempt, detached from the SSH connection that started it\n"
                + "cd " + Shell.quote(workspace) + " || { echo 126 > " + a + "/exit.tmp; mv " + a + "/exit.tmp " + a
                + "/exit; exit 0; }\n"
                + "if command -v bash >/dev/null 2>&1; then STOKER_SH=bash; else STOKER_SH=sh; fi\n"
                + "export STOKER_SH\n"
                + ". " + a + "/env\n"
                // the group id is recorded by the task's own shell once setsid made it: written from here ($!) it
                // could name a group that does not exist yet, and a cancel sent then reached nothing
                + "setsid \"$STOKER_SH\" -c 'echo $$ > \"$1/pid.tmp\" && mv \"$1/pid.tmp\" \"$1/pid\" && exec \"$STOKER_SH\" \"$1/steps.sh\"'"
                + " stoker-task " + a + " < " + in + " >> " + a + "/stdout 2>> " + a + "/stderr &\n"
                + "wait $!\n"
                + "s=$?\n"
                + endBackground(a)
                + "echo $s > " + a + "/exit.tmp && mv " + a + "/exit.tmp " + a + "/exit\n";
    }

    /** The file where the wrapper lists what it stopped that had left the task's group: {@code PID NAME} lines. */
    static final String STRAYS = "strays";

    /**
     * What the wrapper does once the task's shell ended, before it records the exit code, as a task on the server's
     * machine ends: what is left of the task's process group gets a moment (0.2 s) to end by itself (a tee writing its
     * last lines) and is then killed; then every process still carrying the attempt's {@code STOKER_OUTPUT} (one that
     * left the group: {@code setsid cmd &}; one still of the group is only slow to end of the group's SIGKILL) gets
     * SIGTERM, and SIGKILL if it still runs 2 s later, each listed in {@link #STRAYS} for the task's log. The mark is
     * found in {@code /proc} with GNU grep's {@code -z}; a host without either keeps those running, as before. The
     * wrapper drops the mark first, so nothing it starts carries it.
     */
    private static String endBackground(String a) {
        return "unset STOKER_OUTPUT\n"
                + "p=$(cat " + a + "/pid 2>/dev/null)\n"
                + "if [ -n \"$p\" ]; then i=0; while kill -0 -- -$p 2>/dev/null && [ $i -lt 2 ]; do sleep 0.1; i=$((i+1)); done; "
                + "kill -s KILL -- -$p 2>/dev/null; fi\n"
                + "live() { [ -r /proc/$1/stat ] && ! sed 's/.*) //' /proc/$1/stat 2>/dev/null | grep -q '^Z'; }\n"
                + "left=$(grep -lzxF -e \"STOKER_OUTPUT=\"" + a + "/output /proc/[0-9]*/environ 2>/dev/null "
                + "| sed -n 's|^/proc/\\([0-9]*\\)/environ$|\\1|p')\n"
                + "if [ -n \"$left\" ]; then\n"
                + "  for q in $left; do [ \"$q\" = \"$$\" ] && continue; live $q || continue; "
                // one of the task's group that the group's SIGKILL has not ended yet (a loaded host) is no stray
                + "[ -n \"$p\" ] && [ \"$(sed 's/.*) //' /proc/$q/stat 2>/dev/null | cut -d' ' -f3)\" = \"$p\" ] && continue; "
                + "echo \"$q $(cat /proc/$q/comm 2>/dev/null)\" >> " + a + "/" + STRAYS + "; kill -s TERM $q 2>/dev/null; done\n"
                + "  i=0; while [ $i -lt 20 ]; do any=; for q in $left; do live $q && any=1; done; [ -z \"$any\" ] && break; "
                + "sleep 0.1; i=$((i+1)); done\n"
                + "  for q in $left; do live $q && kill -s KILL $q 2>/dev/null; done\n"
                + "fi\n";
    }

    /** Printed before the workspace listing in the launch command's output. */
    static final String LISTING_MARK = "--stoker-listing--\n";
    /** Printed instead of a listing when the agent has no GNU find. */
    static final String NO_LISTING = "--no-listing--";

    /**
     * Creates the (empty) output files and the stdin FIFO, prints the workspace listing and starts the wrapper
     * detached: no descriptor of the exec channel stays open in it.
     */
    static String launch(String dir, String workspace, boolean piped) {
        String a = Shell.quote(dir);
        return "cd " + a + " && umask 077 && : > stdout && : > stderr && : > output"
                + (piped ? " && mkfifo stdin" : "")
                + " && printf '%s' " + Shell.quote(LISTING_MARK) + " && ( " + listing(workspace) + " || echo "
                + NO_LISTING + " ) && { setsid sh " + a + "/run.sh </dev/null >/dev/null 2>&1 & "
                // $! is the wrapper itself (setsid execs in place in a background job): known before we return,
                // so a re-attach can always tell a running attempt from one whose processes are gone
                + "echo $! > " + a + "/wrapper.pid; }";
    }

    /**
     * Kills the attempt's process group: TERM, then KILL once {@code graceTenths} tenths of a second have passed
     * (waiting up to 5 s for the group id to be recorded when the task is just starting).
     */
    static String killGroup(String dir, int graceTenths) {
        String pidFile = Shell.quote(dir + "/pid");
        return "p=$(cat " + pidFile + " 2>/dev/null); i=0; "
                + "while [ -z \"$p\" ] && [ -d " + Shell.quote(dir) + " ] && [ ! -f " + Shell.quote(dir + "/exit")
                + " ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); p=$(cat " + pidFile + " 2>/dev/null); done; "
                + "if [ -n \"$p\" ]; then kill -s TERM -- -$p 2>/dev/null; i=0; "
                + "while kill -0 -- -$p 2>/dev/null && [ $i -lt " + graceTenths + " ]; do sleep 0.1; i=$((i+1)); done; "
                + "kill -s KILL -- -$p 2>/dev/null; fi; true";
    }

    /** Ends an abandoned attempt: its wrapper first (so it records nothing more), then its group; removes its files. */
    static String reap(String dir) {
        return "w=$(cat " + Shell.quote(dir + "/wrapper.pid") + " 2>/dev/null) && kill -s KILL \"$w\" 2>/dev/null; "
                + killGroup(dir, 0) + "; rm -rf " + Shell.quote(dir);
    }

    /**
     * Stops every attempt still running under the run directories {@code runDirs} (a server that died left them):
     * each wrapper first (so it records nothing more), then each task's process group, TERM and, after
     * {@code graceTenths} tenths of a second, KILL; then waits up to {@code waitTenths} tenths for the groups to be
     * gone. Prints the ids of the groups still alive then (nothing when all are gone). A process counts as gone once
     * it is a zombie: a group whose wrapper was killed is reaped by whoever adopts it, not by us.
     */
    static String stopAttempts(List<String> runDirs, int graceTenths, int waitTenths) {
        StringBuilder dirs = new StringBuilder();
        for (String d : runDirs) dirs.append(' ').append(Shell.quote(d + "/attempts")).append("/*");
        return "alive() { if [ -r /proc/self/stat ]; then cat /proc/[0-9]*/stat 2>/dev/null | awk -v g=\"$1\" "
                + "'{ sub(/.*\\) /, \"\"); if ($1 != \"Z\" && $3 == g) f = 1 } END { exit !f }'; "
                + "else kill -0 -- -\"$1\" 2>/dev/null; fi; }; "
                + "groups=; for d in" + dirs + "; do "
                + "[ -d \"$d\" ] && [ ! -f \"$d/exit\" ] || continue; "
                + "w=$(cat \"$d/wrapper.pid\" 2>/dev/null) && kill -s KILL \"$w\" 2>/dev/null && started=1 || started=; "
                // a wrapper that was alive may have started its task a moment ago: give it time to record the group
                + "p=$(cat \"$d/pid\" 2>/dev/null); i=0; "
                + "while [ -z \"$p\" ] && [ -n \"$started\" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); "
                + "p=$(cat \"$d/pid\" 2>/dev/null); done; "
                + "[ -n \"$p\" ] || continue; kill -s TERM -- -$p 2>/dev/null; groups=\"$groups $p\"; done; "
                + "settle() { i=0; while [ $i -lt $1 ]; do left=; for p in $groups; do alive $p && left=\"$left $p\"; "
                + "done; [ -z \"$left\" ] && return; sleep 0.1; i=$((i+1)); done; }; "
                + "settle " + graceTenths + "; for p in $groups; do kill -s KILL -- -$p 2>/dev/null; done; "
                + "settle " + waitTenths + "; left=; for p in $groups; do alive $p && left=\"$left $p\"; done; "
                + "echo $left";
    }

    /** Sends one signal to the attempt's process group, if it is known. */
    static String signalGroup(String dir, String signal) {
        return "p=$(cat " + Shell.quote(dir + "/pid") + " 2>/dev/null) && kill -s " + signal + " -- -$p 2>/dev/null; true";
    }

    /**
     * Gives a piped task whose feed is gone the end of its input. Its feed ({@code cat > stdin}) may have died before
     * it opened the FIFO (the connection dropped first), and the task would then wait in {@code open} for a writer
     * forever. Opening the FIFO read-write never blocks and counts as a writer: closing it again ends the task's
     * {@code open} and leaves it at EOF. Nothing when the FIFO is gone.
     */
    static String endStdin(String dir) {
        String f = Shell.quote(dir + "/stdin");
        return "[ ! -p " + f + " ] || : <> " + f;
    }

    /** Exit 0 when the attempt ended or its wrapper still runs; otherwise its processes are gone. */
    static String alive(String dir) {
        String a = Shell.quote(dir);
        return "[ -f " + a + "/exit ] || { w=$(cat " + a + "/wrapper.pid 2>/dev/null) && kill -0 \"$w\" 2>/dev/null; }";
    }

    /**
     * Lists the workspace's files, directories and links as {@code kind size mtime mode path NUL link-target NUL}
     * (GNU find), read by {@link WorkspaceMirror#parse}.
     */
    static String listing(String workspace) {
        return "cd " + Shell.quote(workspace) + " && find . -mindepth 1 -printf '%y %s %T@ %m %P\\0%l\\0'";
    }
}
