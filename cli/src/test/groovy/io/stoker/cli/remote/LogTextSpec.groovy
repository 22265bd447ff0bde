package io.stoker.cli.remote

import spock.lang.Specification

/** How the CLI shows the server's stored log lines: {@code [task] text}, the engine's own lines marked with '»'. */
class LogTextSpec extends Specification {

    def "a stored line is shown without its time and stream: #what"() {
        expect:
        LogText.show(stored, false) == shown

        where:
        what                                   | stored                                                        || shown
        "a task's own log"                     | '2026-11-27T08:50:04.658Z out hello'                          || 'hello'
        'a whole-run log'                      | '[build] 2026-11-27T08:50:04.658Z err oops'                   || '[build] oops'
        "an engine line"                       | '[build] 2026-11-27T08:50:04.698Z system succeeded after 9ms' || '[build] » succeeded after 9ms'
        "a matrix cell (brackets in its name)" | '[test[jdk=17,db=h2]] 2026-11-27T08:50:04.658Z out jdk=17'    || '[test[jdk=17,db=h2]] jdk=17'
        "a matrix cell's engine line"          | '[test[jdk=17]] 2026-11-27T08:50:04.698Z system succeeded'    || '[test[jdk=17]] » succeeded'
        'text holding brackets'                | '[a] 2026-11-27T08:50:04.658Z out [x] y] z'                   || '[a] [x] y] z'
        'an empty line'                        | '[a] 2026-11-27T08:50:04.658Z out'                            || '[a] '
    }

    def "--raw shows the line as stored, and a line of another shape is left alone"() {
        expect:
        LogText.show('[test[jdk=17]] 2026-11-27T08:50:04.658Z out x', true) == '[test[jdk=17]] 2026-11-27T08:50:04.658Z out x'
        LogText.show('not a stored line', false) == 'not a stored line'
    }
}
