package io.stoker.engine.deploy;

import io.stoker.model.DeployTarget;

/**
 * The shell script of a deployment's one task. It works in the target's directory ({@code $STOKER_DEPLOY_DIR}, or
 * {@code ~/.stoker/deployments/PROJECT/TARGET} on an agent): stops the service the last deployment left (its process
 * group, by the PID on the first line of {@code service.pid}, only while that process still has the
 * {@link ProcessIdentity} on the second: a PID given to another program since, or a file without that line, is left
 * alone and said so), copies the version from the run's workspace to
 * {@code releases/VERSION}, and then either runs a one-shot command in the foreground (its exit is the verdict) or
 * starts the service detached in its own session, with its output in {@code service.log}, and polls the healthcheck
 * until it passes (exit 0), the window closes or the service ends (exit 1, the new service stopped). A healthcheck
 * still running when the window closes is killed (with {@code timeout}, where the host has it), and fails. Each try's
 * output replaces {@code healthcheck.log}; a window that closes shows its last lines and exit code.
 */
final class DeployScript {
    /** How long a stopped service gets between TERM and KILL, in tenths of a second. */
    private static final int STOP_GRACE_TENTHS = 100;

    private DeployScript() {
    }

    static String of(String project, DeployTarget target, String version, String file) {
        String run = file == null ? target.run() : target.run().replace(DeployTarget.FILE_PLACEHOLDER, quote(file));
        var s = new StringBuilder();
        s.append("set -u\n");
        s.append("dir=\"${STOKER_DEPLOY_DIR:-$HOME/.stoker/deployments/").append(project).append('/')
                .append(target.name()).append("}\"\n");
        // run and healthcheck work in the release; they find the target's directory (service.log, service.pid) by
        // this name on an agent too, where the server sets none
        s.append("export STOKER_DEPLOY_DIR=\"$dir\"\n");
        s.append("release=\"$dir/releases/").append(version).append("\"\n");
        s.append("mkdir -p \"$dir/releases\" || exit 1\n");
        s.append("echo \"deploying version ").append(version).append(" of ").append(project).append(" to ")
                .append(target.name()).append(" in $release\"\n");
        s.append(ProcessIdentity.SHELL);
        s.append("""
                # an older Stoker recorded the PID alone: its service still works where it was started, a release
                proc_cwd() { readlink "/proc/$1/cwd" 2>/dev/null; }
                in_releases() {
                  cwd=$(proc_cwd "$1") && [ -n "$cwd" ] || return 1
                  real=$(cd "$dir/releases" 2>/dev/null && pwd -P) || return 1
                  case "$cwd" in "$real"/*) return 0 ;; *) return 1 ;; esac
                }
                # "-PGID" names the group; no "--" before it: dash's kill takes that for a PID and fails
                alive() { kill -0 "-$1" 2>/dev/null || kill -0 "$1" 2>/dev/null; }
                stop_group() {
                  [ -n "$1" ] || return 0
                  kill -TERM "-$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null || return 0
                  n=0
                  # the group, not its leader: the leader is a shell that dies at TERM while the app shuts down
                  while alive "$1" && [ "$n" -lt %d ]; do sleep 0.1; n=$((n + 1)); done
                  kill -KILL "-$1" 2>/dev/null || kill -KILL "$1" 2>/dev/null || true
                }
                if [ -f "$dir/service.pid" ]; then
                  old= started=
                  # an older Stoker's file has no second line: that read fails, which must not end the script (-e)
                  { read -r old || :; read -r started || :; } < "$dir/service.pid"
                  # killing a stranger's processes is worse than leaving an old service running
                  if ! alive "$old"; then :
                  elif [ -z "$started" ] && ! in_releases "$old"; then
                    echo "not stopping process $old: service.pid does not say when the service started (an older \
                Stoker wrote it), and the process does not work in this target's releases, so the PID may be another \
                program's now; if it is the old service, stop it by hand"
                  elif [ -z "$started" ]; then
                    echo "stopping the previous service (process group $old, working in $(proc_cwd "$old"))"
                    stop_group "$old"
                  elif ! kill -0 "$old" 2>/dev/null; then
                    echo "not stopping process group $old: the service leading it has ended, and what is left cannot \
                be told from another program's processes"
                  elif [ "$(identity "$old")" != "$started" ]; then
                    echo "not stopping process $old: it is not the service the last deployment started (its PID was \
                given to another process since)"
                  else
                    echo "stopping the previous service (process group $old)"
                    stop_group "$old"
                  fi
                  rm -f "$dir/service.pid"
                fi
                # the exit a service that ended early wrote: the next service must not be judged by it
                rm -f "$dir/service.exit" "$dir/service.exit.part"
                rm -rf "$release" && mkdir -p "$release" && cp -R ./. "$release"/ || exit 1
                cd "$release" || exit 1
                """.formatted(STOP_GRACE_TENTHS));
        if (!target.isService()) {
            s.append("echo \"running: \"").append(quote(run)).append('\n');
            s.append("sh -c ").append(quote(run)).append('\n');
            s.append("""
                    code=$?
                    if [ "$code" -eq 0 ]; then echo "it exited cleanly"; else echo "it failed with exit code $code"; fi
                    exit "$code"
                    """);
            return s.toString();
        }
        // the command runs in a shell of its own: one that says 'exit 3' or 'exec app' would otherwise end (or
        // replace) the shell that records its exit, and a service that died at once would say "exit code unknown";
        // the exit is written aside and renamed into place, so the watch below never reads a file created but empty
        String service = "sh -c " + quote(run)
                + "\necho $? > \"$STOKER_DEPLOY_EXIT.part\" && mv -f \"$STOKER_DEPLOY_EXIT.part\" \"$STOKER_DEPLOY_EXIT\"";
        s.append("echo \"starting: \"").append(quote(run)).append('\n');
        s.append("export STOKER_DEPLOY_EXIT=\"$dir/service.exit\"\n");
        // setsid in a background job (not a group leader) makes the service lead its own session and group; the
        // service outlives this deployment, so it does not carry its STOKER_OUTPUT, by which a server's next start
        // finds (and stops) the processes of the task attempts a crash cut short (env -u execs: $! stays its PID)
        s.append("if command -v setsid >/dev/null 2>&1; then\n");
        s.append("  env -u STOKER_OUTPUT setsid sh -c ").append(quote(service)).append(" >\"$dir/service.log\" 2>&1 </dev/null &\n");
        s.append("else\n");
        s.append("  env -u STOKER_OUTPUT sh -c ").append(quote(service)).append(" >\"$dir/service.log\" 2>&1 </dev/null &\n");
        s.append("fi\n");
        s.append("""
                pid=$!
                started=$(identity "$pid") || started=
                # written aside and renamed: whoever reads it (a later deployment, a restarted server) sees it whole
                printf '%s\\n%s\\n' "$pid" "$started" > "$dir/service.pid.new" && mv -f "$dir/service.pid.new" "$dir/service.pid"
                echo "service started, process $pid"
                if [ -z "$started" ] && kill -0 "$pid" 2>/dev/null; then
                  echo "cannot read when process $pid started: the next deployment will not stop it"
                fi
                """);
        s.append("deadline=$(( $(date +%s) + ").append(target.withinSeconds()).append(" ))\n");
        // a healthcheck that does not return (curl against a service that accepts and never answers) is killed when
        // the window closes, with what it started: it cannot hold the verdict back, nor pass after the window
        s.append("check() {\n");
        s.append("  left=$(( deadline - $(date +%s) )); [ \"$left\" -ge 1 ] || left=1\n");
        s.append("  if command -v timeout >/dev/null 2>&1; then\n");
        s.append("    timeout -k 2 \"$left\" sh -c ").append(quote(target.healthcheck())).append(" >\"$dir/healthcheck.log\" 2>&1\n");
        s.append("  else\n");
        s.append("    sh -c ").append(quote(target.healthcheck())).append(" >\"$dir/healthcheck.log\" 2>&1 &\n");
        s.append("    c=$!\n");
        s.append("    while kill -0 \"$c\" 2>/dev/null && [ \"$(date +%s)\" -lt \"$deadline\" ]; do sleep 0.1; done\n");
        s.append("    if kill -0 \"$c\" 2>/dev/null; then kill -KILL \"$c\" 2>/dev/null; wait \"$c\" 2>/dev/null; return 124; fi\n");
        s.append("    wait \"$c\"\n");
        s.append("  fi\n");
        s.append("}\n");
        s.append("while :; do\n");
        s.append("  if [ -f \"$STOKER_DEPLOY_EXIT\" ] || ! kill -0 \"$pid\" 2>/dev/null; then\n");
        s.append("    echo \"the service ended (exit code $(cat \"$STOKER_DEPLOY_EXIT\" 2>/dev/null || echo unknown)) before its healthcheck passed; its last lines:\"\n");
        s.append("    tail -n 20 \"$dir/service.log\"; stop_group \"$pid\"; rm -f \"$dir/service.pid\"; exit 1\n");
        s.append("  fi\n");
        // the task's shell runs with -e: a failing check must not end the script, only set its code
        s.append("  code=0; check || code=$?\n");
        s.append("  if [ \"$code\" -eq 0 ]; then\n");
        s.append("    echo \"healthcheck passed: \"").append(quote(target.healthcheck())).append("; exit 0\n");
        s.append("  fi\n");
        s.append("  if [ \"$(date +%s)\" -ge \"$deadline\" ]; then\n");
        s.append("    echo \"healthcheck did not pass within ").append(target.withinSeconds())
                .append(" s; stopping the service; its last lines:\"\n");
        s.append("    tail -n 20 \"$dir/service.log\"; stop_group \"$pid\"; rm -f \"$dir/service.pid\"\n");
        // what the check said is often the cause (a wrong port, "curl: not found"): the service's lines do not say it
        s.append("    if [ -s \"$dir/healthcheck.log\" ]; then\n");
        s.append("      echo \"the healthcheck's last try exited $code and said:\"; tail -n 5 \"$dir/healthcheck.log\"\n");
        s.append("    else echo \"the healthcheck's last try exited $code and said nothing\"; fi\n");
        s.append("    exit 1\n");
        s.append("  fi\n");
        s.append("  sleep 0.5\n");
        s.append("done\n");
        return s.toString();
    }

    /** One shell word holding {@code text} exactly. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
