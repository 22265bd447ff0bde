package io.stoker.server.api

import io.stoker.server.ServerSpecification
import spock.lang.Shared

import java.util.zip.ZipInputStream

/**
 * Artifact files named as Linux allows (a carriage return, a backslash, letters outside ASCII) are kept under their
 * names and downloaded under them: the answer names the file in ASCII and in UTF-8, and never hangs.
 */
class ArtifactNamesSpec extends ServerSpecification {
    @Shared String key

    def setupSpec() {
        freestyle('names', '''
job('odd') {
  task('make') {
    sh \'\'\'mkdir -p d
printf 'x\\n' > "$(printf 'd/line\\rbreak.txt')"
printf 'y\\n' > 'd/back\\\\slash.txt'
printf 'z\\n' > 'd/файл €.txt'
\'\'\'
    artifacts 'd/**'
  }
}
''')
        key = trigger('names', 'odd')
        assert awaitEnd(key).status == 'succeeded'
    }

    def "a file whose name holds a carriage return or letters outside ASCII is downloaded, named in ASCII and in UTF-8"() {
        when:
        def cr = http.get("/runs/$key/artifacts/make.zip/d/line%0Dbreak.txt")
        def unicode = http.get("/runs/$key/artifacts/make.zip/d/%D1%84%D0%B0%D0%B9%D0%BB%20%E2%82%AC.txt")

        then:
        cr.status == 200
        cr.text == 'x\n'
        cr.header('content-disposition') == "attachment; filename=\"line_break.txt\"; filename*=UTF-8''line%0Dbreak.txt"
        unicode.status == 200
        unicode.text == 'z\n'
        unicode.header('content-disposition') ==
                "attachment; filename=\"____ _.txt\"; filename*=UTF-8''%D1%84%D0%B0%D0%B9%D0%BB%20%E2%82%AC.txt"
    }

    def "a backslash in a file name is kept in the task's zip, not made a directory"() {
        when:
        def listed = http.get("/runs/$key/artifacts").text
        List<String> entries = []
        new ZipInputStream(new ByteArrayInputStream(http.get("/runs/$key/artifacts/make.zip").bytes)).withCloseable { z ->
            for (def e = z.nextEntry; e != null; e = z.nextEntry) entries << e.name
        }
        def file = http.get("/runs/$key/artifacts/make.zip/d/back%5Cslash.txt")

        then:
        listed.contains('d/back\\\\slash.txt') // a JSON string: the backslash escaped
        entries.contains('d/back\\slash.txt')
        !entries.any { it.startsWith('d/back/') }
        file.status == 200
        file.text == 'y\n'
    }
}
