package io.stoker.cli.remote

import spock.lang.Specification

/** How the CLI reads a followed log's event stream, and the stored line it makes of each line event. */
class ServerEventSpec extends Specification {

    private static List<ServerEvent> events(String stream, List<String> comments = []) {
        List<ServerEvent> out = []
        ServerEvent.read(new StringReader(stream), { out << it }, { comments << it } as ServerEvent.Comments)
        out
    }

    def "each event comes whole at its blank line, with its id, type and data; comments apart"() {
        given:
        List<String> comments = []

        when:
        def read = events('id: 1\nevent: line\ndata: {"a":1}\n\n: the stream ended: why\n\nevent: end\ndata: {}\n\n', comments)

        then:
        read == [new ServerEvent('1', 'line', '{"a":1}'), new ServerEvent(null, 'end', '{}')]
        comments == ['the stream ended: why']
    }

    def "an event the stream broke off before its blank line is not handed on, so a resume gets it whole"() {
        expect:
        events('id: 1\nevent: line\ndata: {"text":"one"}\n\nid: 2\nevent: line\ndata: {"te') ==
                [new ServerEvent('1', 'line', '{"text":"one"}')]
    }

    def "a line event is the line as the log stored it, with the task before it in a run's log"() {
        given:
        String data = '{"task":"build","line":3,"time":"2026-11-22T10:40:01.120Z","stream":"err","text":"oops\\r"}'

        expect:
        LogEvent.stored(data, false) == '2026-11-22T10:40:01.120Z err oops\r'
        LogEvent.stored(data, true) == '[build] 2026-11-22T10:40:01.120Z err oops\r'
        LogEvent.stored('{"task":"t","time":"2026-11-22T10:40:01Z","stream":"system","text":"» x"}', false) ==
                '2026-11-22T10:40:01.000Z system » x'
    }
}
