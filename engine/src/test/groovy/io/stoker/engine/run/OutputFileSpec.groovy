package io.stoker.engine.run

import spock.lang.Specification

class OutputFileSpec extends Specification {

    def "key=value lines and heredoc blocks become outputs, later values win"() {
        expect:
        OutputFile.parse('a=1\nb=x=y\n\nnotes<<END\none\ntwo\nEND\na=2\n') == [a: '2', b: 'x=y', notes: 'one\ntwo']
    }
}
