package io.stoker.engine.run

import spock.lang.Specification

class OutputFileSpec extends Specification {

    def "key=value lines and heredoc blocks become outputs, later values win"() {
        expect:
        OutputFile.parse('a=1\nb=x=y\n\nnotes<<END\none\ntwo\nEND\na=2\n') == [a: '2', b: 'x=y', notes: 'one\ntwo']
        OutputFile.read('a=1\nb=x=y\n\nnotes<<END\none\ntwo\nEND\na=2\n').problems().empty
    }

    def "lines that are no output are named, and a heredoc that never ends says so"() {
        when:
        def read = OutputFile.read('ok=1\ngarbage line\n=novalue\nx<<EOF\na\nb\n')

        then:
        read.values() == [ok: '1', x: 'a\nb']
        read.problems() == [
                "\$STOKER_OUTPUT line 2: 'garbage line' is not key=value nor key<<EOF; ignored",
                "\$STOKER_OUTPUT line 3: '=novalue' is not key=value nor key<<EOF; ignored",
                "\$STOKER_OUTPUT line 4: 'x<<EOF' never ends with a line 'EOF'; x holds the rest of the file"]
    }
}
