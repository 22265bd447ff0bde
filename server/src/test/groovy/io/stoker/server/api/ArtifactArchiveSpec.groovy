package io.stoker.server.api

import io.stoker.server.ServerSpecification

import java.nio.file.Files
import java.util.concurrent.TimeUnit

/** The run's artifacts as one {@code .tar.gz}, read back by the real {@code tar}. */
class ArtifactArchiveSpec extends ServerSpecification {

    def "a task with a 120-character name has its artifacts downloaded as tar.gz and listed by tar"() {
        given: 'a run key (26) + "/" + the name (120) + ".zip": 151 bytes, past ustar’s 100-byte name field'
        String task = 'package-' + ('x' * 112)
        assert task.length() == 120
        freestyle('long-names', """
job('build') {
  task('$task') {
    sh 'mkdir -p out && echo built > out/app.txt'
    artifacts 'out/**'
  }
}
""")
        String key = trigger('long-names', 'build')
        assert awaitEnd(key).status == 'succeeded'

        when:
        def reply = http.get("/runs/$key/artifacts.tar.gz")
        def archive = Files.createTempFile(dataDir, 'artifacts', '.tar.gz')
        archive.bytes = reply.bytes
        def tar = new ProcessBuilder('tar', 'tzvf', archive.toString()).redirectErrorStream(true).start()
        String listing = new String(tar.inputStream.readAllBytes())
        assert tar.waitFor(30, TimeUnit.SECONDS)

        then:
        reply.status == 200
        reply.header('content-type') == 'application/gzip'
        tar.exitValue() == 0
        listing.readLines()*.split(/\s+/)*.last() == ["$key/${task}.zip".toString()]

        and: 'the entry holds the same bytes as the task’s zip'
        def extract = new ProcessBuilder('tar', 'xzOf', archive.toString()).start()
        extract.inputStream.readAllBytes() == http.get("/runs/$key/artifacts/${task}.zip").bytes
        extract.waitFor(30, TimeUnit.SECONDS) && extract.exitValue() == 0
    }
}
