package io.stoker.cli.run

import io.stoker.cli.CliException
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** The `--secrets-file` format, as `stoker run --help` and the README describe it. */
class SecretsFileSpec extends Specification {

    @TempDir
    Path dir

    Map<String, String> read(String text) {
        def file = dir.resolve('secrets.env')
        file.text = text
        SecretsFile.read(file)
    }

    def "NAME=value lines; blank and # lines skipped; the value is what follows the first =, verbatim but for outer spaces"() {
        expect:
        read('''\
# deploy keys
TOKEN=abc=def#ghi

  SPACED = kept as is  
QUOTED="  outer spaces  "
DOLLAR=$HOME\\n'single'
EMPTY=
''') == [TOKEN: 'abc=def#ghi', SPACED: 'kept as is', QUOTED: '  outer spaces  ', DOLLAR: '$HOME\\n\'single\'', EMPTY: '']
    }

    def "a line that is not NAME=value is refused with its line number"() {
        when:
        read("OK=1\n$line\n")

        then:
        def e = thrown(CliException)
        e.message.endsWith('secrets.env:2: expected NAME=value')

        where:
        line << ['no equals sign', 'export TOKEN=x', '1ST=x', '=value']
    }
}
