package io.stoker.engine.run

import io.stoker.engine.exec.RunningTask
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

    def "a file over the limit keeps its whole lines, and says where it was cut and which key was lost"() {
        given: 'a small output, then a value that runs past the limit, then one more (which the read never reaches)'
        String big = 'big=' + 'x' * RunningTask.MAX_OUTPUT_BYTES
        String read = ('a=1\nml<<END\nl1\nEND\n' + big + '\nafter=1\n').take(RunningTask.MAX_OUTPUT_BYTES + 1)

        when:
        def out = OutputFile.read(read)

        then:
        out.values() == [a: '1', ml: 'l1']
        out.problems() == ["\$STOKER_OUTPUT is larger than 1 MiB, the most outputs may hold: its first 4 lines are "
                + "read, 'big' and whatever followed it is not kept (large data belongs in artifacts)"]
    }

    def "a file of exactly the limit is read whole"() {
        expect:
        OutputFile.read(('a=' + 'x' * (RunningTask.MAX_OUTPUT_BYTES - 3)) + '\n').problems().empty
    }
}
