package io.stoker.engine.exec

import io.stoker.engine.exec.local.LocalExecutor
import spock.lang.TempDir

import java.nio.file.Path

class LocalExecutorSpec extends ExecutorContract {

    @TempDir
    Path scratch

    Executor executor() {
        new LocalExecutor(scratch)
    }

    def "tasks get a clean base environment, not everything of this process"() {
        given:
        def executor = new LocalExecutor(scratch, [PATH: System.getenv('PATH'), ONLY_BASE: 'yes'])

        when:
        def r = finish(executor.start(launch(['echo "${ONLY_BASE}-${JAVA_HOME:-absent}-${FROM_LAUNCH}"'], [FROM_LAUNCH: 'l'])))

        then:
        r.out == 'yes-absent-l\n'
    }

    def "it runs each task in its own process group where setsid exists"() {
        expect:
        new LocalExecutor(scratch).isolatesProcessGroups() == new File('/usr/bin/setsid').canExecute()
    }
}
