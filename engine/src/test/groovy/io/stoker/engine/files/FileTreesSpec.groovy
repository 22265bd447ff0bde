package io.stoker.engine.files

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** The one recursive delete, on what tasks leave in their workspaces. */
class FileTreesSpec extends Specification {
    @TempDir Path dir

    def "a named pipe nobody writes to, in a read-only directory, is deleted with the tree instead of blocking it"() {
        given: "a workspace where a task ran 'mkfifo' and then made its directory read-only"
        Path ws = Files.createDirectories(dir.resolve('ws/sub'))
        Files.writeString(ws.resolve('plain.txt'), 'x')
        assert new ProcessBuilder('mkfifo', ws.resolve('pipe').toString()).start().waitFor() == 0
        assert new ProcessBuilder('chmod', '-R', 'a-w', dir.resolve('ws').toString()).start().waitFor() == 0

        when: 'deleted on a thread of its own: a delete that opens the pipe blocks in the kernel, deaf to interrupts'
        def deleting = Thread.startDaemon { FileTrees.delete(dir.resolve('ws')) }
        deleting.join(20_000)

        then:
        !deleting.alive
        !Files.exists(dir.resolve('ws'))

        cleanup: 'a blocked delete is let go by a writer'
        if (deleting.alive) new FileOutputStream(ws.resolve('pipe').toFile()).close()
    }
}
