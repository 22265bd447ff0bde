package io.stoker.server.api

import io.stoker.server.ServerSpecification
import spock.lang.Shared

import java.nio.file.Files
import java.util.concurrent.TimeUnit

/**
 * An artifact download takes one {@code Range}, as RFC 9110 says: a large zip whose download broke off resumes
 * where it stopped ({@code curl -C -}) instead of starting over.
 */
class ArtifactRangeSpec extends ServerSpecification {
    @Shared String key
    @Shared byte[] zip

    def setupSpec() {
        freestyle('ranges', '''
job('build') {
  task('build') {
    sh 'mkdir -p dist && head -c 3000000 /dev/urandom > dist/app.bin'
    artifacts 'dist/**'
  }
}
''')
        key = trigger('ranges', 'build')
        assert awaitEnd(key).status == 'succeeded'
        zip = http.get("/runs/$key/artifacts/build.zip").bytes
        assert zip.length > 3_000_000 // random bytes do not shrink
    }

    def "a range of a task's zip is answered 206 with exactly those bytes and where they are"() {
        when:
        def middle = http.get("/runs/$key/artifacts/build.zip", [Range: 'bytes=100-199'])
        def tail = http.get("/runs/$key/artifacts/build.zip", [Range: 'bytes=-10'])
        def rest = http.get("/runs/$key/artifacts/build.zip", [Range: "bytes=${zip.length - 5}-".toString()])

        then:
        middle.status == 206
        middle.bytes == zip[100..199] as byte[]
        middle.header('content-range') == "bytes 100-199/$zip.length".toString()
        middle.header('accept-ranges') == 'bytes'
        tail.status == 206
        tail.bytes == zip[-10..-1] as byte[]
        rest.status == 206
        rest.bytes == zip[-5..-1] as byte[]
    }

    def "a whole download says ranges are served; a header that is not one valid range is ignored"() {
        when:
        def whole = http.get("/runs/$key/artifacts/build.zip")
        def several = http.get("/runs/$key/artifacts/build.zip", [Range: 'bytes=0-1,5-6'])

        then:
        whole.status == 200
        whole.header('accept-ranges') == 'bytes'
        several.status == 200
        several.bytes == zip
    }

    def "a range beyond the end of the zip is 416, with the size and a reason"() {
        when:
        def beyond = http.get("/runs/$key/artifacts/build.zip", [Range: "bytes=${zip.length}-".toString()])

        then:
        beyond.status == 416
        beyond.header('content-range') == "bytes */$zip.length".toString()
        beyond.json.error == 'range not satisfiable'
        beyond.json.message.startsWith("the zip has $zip.length bytes: Range 'bytes=$zip.length-' asks for none of them")
    }

    def "curl -C - resumes a zip download that broke off half-way"() {
        given: 'the first half of the zip, as a download cut short left it'
        def file = Files.createTempFile(dataDir, 'build', '.zip')
        file.bytes = zip[0..<(zip.length.intdiv(2))] as byte[]

        when:
        def curl = new ProcessBuilder('curl', '-sS', '--fail', '-C', '-', '-o', file.toString(),
                '-H', "Authorization: Bearer $http.token".toString(), "$http.base/api/v1/runs/$key/artifacts/build.zip".toString())
                .redirectErrorStream(true).start()
        String said = new String(curl.inputStream.readAllBytes())
        assert curl.waitFor(60, TimeUnit.SECONDS)

        then:
        curl.exitValue() == 0
        said.isEmpty()
        file.bytes == zip
    }

    def "one file of a zip takes a range too"() {
        given:
        def app = http.get("/runs/$key/artifacts/build.zip/dist/app.bin").bytes

        when:
        def part = http.get("/runs/$key/artifacts/build.zip/dist/app.bin", [Range: 'bytes=1000-1999'])
        def beyond = http.get("/runs/$key/artifacts/build.zip/dist/app.bin", [Range: 'bytes=3000000-'])

        then:
        app.length == 3_000_000
        part.status == 206
        part.header('content-range') == 'bytes 1000-1999/3000000'
        part.bytes == app[1000..1999] as byte[]
        beyond.status == 416
        beyond.json.message.startsWith('the file has 3000000 bytes')
    }
}
