package io.stoker.engine.exec

import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.exec.local.TaskSandbox
import spock.lang.Requires
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

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
}
