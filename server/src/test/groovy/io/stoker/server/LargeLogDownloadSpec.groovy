package io.stoker.server

import spock.lang.Specification
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * Logs are streamed from their files: a run log of 100 MB, downloaded four times at once from a server with a
 * 96 MiB heap, arrives whole each time and leaves the server healthy (it once read whole logs into memory: one
 * 283 MiB download ran a 512 MiB heap out of memory). Each download alone is larger than the heap, and the four
 * together over four times it; the spec moved eight 200 MB downloads (1.6 GB through the server, over a minute of
 * the suite's CPU) before, which proved nothing more.
 */
class LargeLogDownloadSpec extends Specification {
    static final long SIZE = 100L * 1000 * 1000
    static final int DOWNLOADS = 4
    @TempDir Path dir

    def "four concurrent downloads of a 100 MB log from a 96 MiB heap all complete, and ranged reads work"() {
        given: 'a server with a small heap that dies on running out of memory, and a finished run'
        Path data = dir.resolve('data')
        def server = ServerJvm.start(data, ['-Xmx96m', '-XX:+ExitOnOutOfMemoryError', '-XX:TieredStopAtLevel=1'],
                [STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process'])
        def http = server.http
        assert http.post('/projects', [name: 'big', jobfile: "job('j') { task('t') { sh 'echo small' } }"]).status == 201
        String key = http.post('/projects/big/jobs/j/runs', [:]).json.key
        Http.eventually { http.get("/runs/$key").json.status == 'succeeded' }

        and: 'its task log replaced by 200 MB of log lines, written where the store keeps it (a run cannot print that much: the store caps a task log)'
        Path log = data.resolve('runs').resolve(key).resolve('logs').resolve('t.log')
        assert Files.exists(log)
        byte[] line = ('2026-11-23T03:00:00.000Z out ' + 'x' * 70 + '\n').getBytes('UTF-8')
        byte[] block = new byte[line.length * 10_000]
        for (int i = 0; i < 10_000; i++) System.arraycopy(line, 0, block, i * line.length, line.length)
        Files.newOutputStream(log).withCloseable { out -> SIZE.intdiv(block.length).times { out.write(block) } }
        assert line.length == 100 && Files.size(log) == SIZE
        long lines = SIZE.intdiv(line.length)
        long expected = SIZE + lines * '[t] '.length()

        when: 'four clients download the run log at once'
        def pool = Executors.newFixedThreadPool(DOWNLOADS)
        long t0 = System.nanoTime()
        def downloads = (1..DOWNLOADS).collect {
            pool.submit({
                def request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/runs/$key/log"))
                        .header('Authorization', 'Bearer ' + http.token).timeout(Duration.ofSeconds(120)).build()
                // a client each: one HttpClient reads every connection on a single selector thread
                def response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream())
                long n = 0
                byte[] buf = new byte[256 * 1024]
                byte[] head = null
                def last = new ByteArrayOutputStream()
                response.body().withCloseable { in ->
                    for (int r; (r = in.read(buf)) >= 0;) {
                        if (head == null && r >= 104) head = Arrays.copyOf(buf, 104)
                        // the stream's last 104 bytes, however the reads fall
                        last.write(buf, Math.max(0, r - 104), Math.min(r, 104))
                        byte[] kept = last.toByteArray()
                        last.reset()
                        last.write(kept, Math.max(0, kept.length - 104), Math.min(kept.length, 104))
                        n += r
                    }
                }
                [status: response.statusCode(), bytes: n, head: head, tail: last.toByteArray()]
            } as java.util.concurrent.Callable)
        }
        def health = []
        while (!downloads.every { it.done }) {
            health << http.get('/healthz').status
            Thread.sleep(200)
        }
        def results = downloads*.get(120, TimeUnit.SECONDS)
        long millis = (System.nanoTime() - t0).intdiv(1_000_000)
        println "large log: $DOWNLOADS x ${expected} bytes in ${millis} ms (${(DOWNLOADS * expected / 1e6 / (millis / 1000.0)).round()} MB/s)"

        then: 'every download is whole, the server answered its health check meanwhile, and it is still up'
        results.collect { [it.status, it.bytes] } == [[200, expected]] * DOWNLOADS
        byte[] prefixed = ('[t] ' + new String(line, 'UTF-8')).getBytes('UTF-8')
        results.every { Arrays.equals(it.head, prefixed) && Arrays.equals(it.tail, prefixed) }
        health.every { it == 200 }
        server.process.alive
        http.get('/healthz').json.status == 'ok'

        when: 'a ranged read of the task log'
        def ranged = http.get("/runs/$key/tasks/t/log", [Range: 'bytes=100-199'])
        def tail = http.get("/runs/$key/tasks/t/log", [Range: 'bytes=-100'])
        def window = http.get("/runs/$key/tasks/t/log?offset=200&limit=100")
        def beyond = http.get("/runs/$key/tasks/t/log", [Range: "bytes=${SIZE}-".toString()])

        then:
        ranged.status == 206
        ranged.bytes == line
        ranged.headers['content-range'] == ["bytes 100-199/$SIZE"]
        tail.status == 206
        tail.bytes == line
        window.status == 200
        window.bytes == line
        window.headers['x-next-offset'] == ['300']
        beyond.status == 416
        beyond.headers['content-range'] == ["bytes */$SIZE"]
        beyond.headers['content-type'][0].startsWith('application/json')
        beyond.json.error == 'range not satisfiable'
        beyond.json.message.startsWith("the log has $SIZE bytes: Range 'bytes=$SIZE-' asks for none of them")

        cleanup:
        pool?.shutdownNow()
        server?.close()
    }
}
