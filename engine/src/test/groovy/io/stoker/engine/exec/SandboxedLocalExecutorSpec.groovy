package io.stoker.engine.exec

import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.exec.local.TaskSandbox
import spock.lang.Requires
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Tasks on the server's machine with its data directory hidden (bubblewrap): the executor contract holds inside the
 * sandbox, and a task sees only its own workspace, scratch files and deployment directory of the data directory.
 */
@Requires({ SandboxedLocalExecutorSpec.bubblewrapWorks() })
class SandboxedLocalExecutorSpec extends ExecutorContract {

    @TempDir
    Path data

    static boolean bubblewrapWorks() {
        Path probe = Files.createTempDirectory('stoker-sandbox-probe')
        try {
            TaskSandbox.bubblewrap([probe]).present
        } finally {
            Files.deleteIfExists(probe)
        }
    }

    Executor executor() {
        new LocalExecutor(data.resolve('tmp/scratch')).withSandbox(TaskSandbox.bubblewrap([data]).get())
    }

    def "a task sees nothing of the data directory but its own workspace and scratch files"() {
        given: 'the server\'s keys and another run\'s workspace in the data directory'
        data.resolve('jwt.key').text = 'signing-key'
        Files.createDirectories(data.resolve('workspaces/other')).resolve('theirs.txt').text = 'not yours'
        def mine = Files.createDirectories(data.resolve('workspaces/mine'))
        mine.resolve('checked-out.txt').text = 'source'
        def launch = new TaskLaunch('run-1', 'task', 1, ['''
            cat "$DATA/jwt.key" 2>/dev/null || echo "no key"
            cat "$DATA/workspaces/other/theirs.txt" 2>/dev/null || echo "no other workspace"
            ls "$DATA/workspaces"
            pwd
            cat checked-out.txt; echo
            echo built > built.txt
            echo "seen=yes" >> "$STOKER_OUTPUT"
        '''.stripIndent()], mine, [DATA: data.toString()], false)

        when:
        def t = executor().start(launch)
        def r = finish(t)

        then: 'the keys and the other workspace are not there; its own workspace is the real one, both ways'
        r.exit == 0
        r.out == "no key\nno other workspace\nmine\n$mine\nsource\n".toString()
        mine.resolve('built.txt').text == 'built\n'
        t.outputText() == 'seen=yes\n'

        and: 'nothing was changed for the server'
        data.resolve('jwt.key').text == 'signing-key'
        data.resolve('workspaces/other/theirs.txt').text == 'not yours'
    }

    def "a deployment's directory in the data directory is the real one, made when missing, and stays after the task"() {
        given:
        def ws = Files.createDirectories(data.resolve('workspaces/deploy'))
        def target = data.resolve('deployments/app/staging')
        def launch = new TaskLaunch('run-2', 'deploy', 1, ['''
            mkdir -p "$STOKER_DEPLOY_DIR/releases/1" && echo v1 > "$STOKER_DEPLOY_DIR/releases/1/version"
        '''.stripIndent()], ws, [STOKER_DEPLOY_DIR: target.toString()], false)

        when:
        def r = finish(executor().start(launch))

        then:
        r.exit == 0
        target.resolve('releases/1/version').text == 'v1\n'
    }

    def "a task sees neither another running task's environment nor the server's in /proc"() {
        given: 'a variable of this process (the server) that no task is given'
        def server = System.getenv().find { k, v -> !(k in LocalExecutor.BASE_ENV) && v.length() >= 3 }
        assert server
        and: 'another project\'s task running with its secret in its environment'
        def theirs = Files.createDirectories(data.resolve('workspaces/theirs'))
        def other = executor().start(new TaskLaunch('run-3', 'deploy-prod', 1, ['''
            echo up > up.txt
            while [ ! -f done.txt ]; do sleep 0.05; done
        '''.stripIndent()], theirs, [PROD_KEY: 'TeamBProdKeyZZ91'], false))
        awaitFile(theirs.resolve('up.txt'))
        def mine = Files.createDirectories(data.resolve('workspaces/mine'))
        def snoop = new TaskLaunch('run-4', 'snoop', 1, ['''
            cat /proc/self/environ | tr '\\0' '\\n' | grep -c '^MINE=' || true
            for f in /proc/[0-9]*/environ; do cat "$f" 2>/dev/null | tr '\\0' '\\n'; done | grep -e '^PROD_KEY=' -e "^$SERVER_VAR=" || true
            echo end
        '''.stripIndent()], mine, [MINE: 'mine', SERVER_VAR: server.key], false)

        when:
        def r = finish(executor().start(snoop))
        theirs.resolve('done.txt').text = 'done'

        then: 'it reads its own environment, and nothing of the other task\'s or the server\'s'
        r.exit == 0
        r.out == '1\nend\n'

        and: 'the other task ran on undisturbed'
        finish(other).exit == 0
    }

    def "the processes of a sandboxed task a dead server left are still found from outside and stopped"() {
        given:
        def ws = Files.createDirectories(data.resolve('workspaces/left'))
        def t = executor().start(new TaskLaunch('run-5', 'left', 1, ['echo up > up.txt; sleep 300'], ws, [:], false))
        awaitFile(ws.resolve('up.txt'))

        when: 'the next server start sweeps the scratch directory'
        int stopped = LocalExecutor.sweepLeftovers(data.resolve('tmp/scratch'))

        then:
        stopped > 0
        t.onExit().get(10, TimeUnit.SECONDS) != 0
    }

    /**
     * The task numbers its processes in its own PID namespace: the one it knows as {@code pid} is found here as the
     * process of this spec's tasks (by their {@code STOKER_OUTPUT}) whose innermost PID ({@code NSpid}) it is.
     */
    @Override
    protected long seenFromHere(long pid) {
        def scratch = data.resolve('tmp/scratch').toString()
        def found = Files.list(Path.of('/proc')).toList().find { proc ->
            if (!proc.fileName.toString().isLong()) return false
            try {
                def nspid = proc.resolve('status').readLines().find { it.startsWith('NSpid:') }?.split(/\s+/)
                nspid && nspid.last() as long == pid && nspid.size() > 2
                        && new String(Files.readAllBytes(proc.resolve('environ'))).contains("STOKER_OUTPUT=$scratch")
            } catch (IOException ignored) {
                false // ended meanwhile
            }
        }
        assert found: "no process of this spec's tasks is PID $pid in its namespace"
        found.fileName.toString() as long
    }

    private static void awaitFile(Path file) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
        while (!Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(20)
        assert Files.exists(file)
    }
}
