package io.stoker.server.api

import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * A file of a task's artifacts is typed by its extension, as a client or a browser's "open" expects of a .txt or a
 * .json; a page among them (HTML, SVG) is still only a download: an attachment, never sniffed, sandboxed were it
 * shown, so a build's output never runs as the server's own page with the user's session.
 */
class ArtifactTypesSpec extends ServerSpecification {
    @Shared String key

    def setupSpec() {
        freestyle('types', '''
job('j') {
  task('make') {
    sh \'\'\'mkdir -p out
for f in notes.txt build.log report.json page.html pom.xml table.csv README.md data.bin noext picture.svg UPPER.TXT; do
  printf 'x\\n' > "out/$f"
done
printf 'café ✓\\n' > out/accents.txt
\'\'\'
    artifacts 'out/**'
  }
}
''')
        key = trigger('types', 'j')
        assert awaitEnd(key).status == 'succeeded'
    }

    def "#file is served as #type, an attachment that is never sniffed nor run"() {
        when:
        def r = http.get("/runs/$key/artifacts/make.zip/out/$file")

        then:
        r.status == 200
        r.text == 'x\n'
        r.header('content-type') == type
        r.header('content-disposition') == "attachment; filename=\"$file\""
        r.header('x-content-type-options') == 'nosniff'
        r.header('content-security-policy') == "sandbox; default-src 'none'"

        where:
        file          | type
        'notes.txt'   | 'text/plain; charset=utf-8'
        'UPPER.TXT'   | 'text/plain; charset=utf-8'
        'build.log'   | 'text/plain; charset=utf-8'
        'report.json' | 'application/json'
        'page.html'   | 'text/html; charset=utf-8'
        'picture.svg' | 'image/svg+xml'
        'pom.xml'     | 'application/xml'
        'table.csv'   | 'text/csv; charset=utf-8'
        'README.md'   | 'text/markdown; charset=utf-8'
        'data.bin'    | 'application/octet-stream'
        'noext'       | 'application/octet-stream'
    }

    def "a text file's accented UTF-8 comes through as written, its charset named"() {
        when:
        def r = http.get("/runs/$key/artifacts/make.zip/out/accents.txt")

        then:
        r.header('content-type') == 'text/plain; charset=utf-8'
        new String(r.bytes, 'UTF-8') == 'café ✓\n'
    }

    def "a byte range of a text file keeps its type"() {
        when:
        def r = http.get("/runs/$key/artifacts/make.zip/out/notes.txt", [Range: 'bytes=0-0'])

        then:
        r.status == 206
        r.text == 'x'
        r.header('content-type') == 'text/plain; charset=utf-8'
    }
}
