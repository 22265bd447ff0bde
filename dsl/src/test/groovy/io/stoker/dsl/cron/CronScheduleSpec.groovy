package io.stoker.dsl.cron

import spock.lang.Specification

import java.time.DayOfWeek
import java.time.ZoneId
import java.time.ZonedDateTime

class CronScheduleSpec extends Specification {

    static final ZoneId UTC = ZoneId.of('UTC')
    static final ZoneId BERLIN = ZoneId.of('Europe/Berlin')

    static ZonedDateTime utc(String local) {
        ZonedDateTime.parse(local + 'Z[UTC]')
    }

    static ZonedDateTime next(String spec, ZonedDateTime after) {
        CronSchedule.parse(spec, 'p/j').next(after)
    }

    def "plain fields, ranges, lists and steps: '#spec' after #after fires at #expected"() {
        expect:
        next(spec, utc(after)) == utc(expected)

        where:
        spec                | after                     | expected
        '*/15 * * * *'      | '2026-05-04T10:07:30'     | '2026-05-04T10:15:00'
        '*/15 * * * *'      | '2026-05-04T10:15:00'     | '2026-05-04T10:30:00'
        '*/15 * * * *'      | '2026-05-04T10:14:59.999' | '2026-05-04T10:15:00'
        '* * * * *'         | '2026-05-04T10:07:30'     | '2026-05-04T10:08:00'
        '5 * * * *'         | '2026-05-04T10:07:00'     | '2026-05-04T11:05:00'
        '0 16,18,20 * * *'  | '2026-05-04T18:00:00'     | '2026-05-04T20:00:00'
        '10-40/15 3 * * *'  | '2026-05-04T03:26:00'     | '2026-05-04T03:40:00'
        '0 9 * * 1-5'       | '2026-11-20T10:00:00'     | '2026-11-23T09:00:00'
        '0 0 * * 7'         | '2026-11-20T10:00:00'     | '2026-11-22T00:00:00'
        '0 0 * * 0'         | '2026-11-20T10:00:00'     | '2026-11-22T00:00:00'
        '0 0 * * 5-7'       | '2026-11-21T10:00:00'     | '2026-11-22T00:00:00'
        '0 0 1 * *'         | '2026-12-15T10:00:00'     | '2027-01-01T00:00:00'
        '59 23 31 12 *'     | '2026-12-31T23:59:00'     | '2027-12-31T23:59:00'
        '30 12 31 * *'      | '2026-04-01T00:00:00'     | '2026-05-31T12:30:00'
        '0 0 29 2 *'        | '2026-03-01T00:00:00'     | '2028-02-29T00:00:00'
        '0 0 1 1-11/2 *'    | '2026-11-02T00:00:00'     | '2027-01-01T00:00:00'
    }

    def "when day-of-month and day-of-week are both restricted a day must match both, as in Jenkins"() {
        given:
        def s = CronSchedule.parse('0 0 13 * 5', 'p/j')

        when:
        def firings = []
        def t = utc('2026-01-01T00:00:00')
        4.times { t = s.next(t); firings << t.toLocalDate().toString() }

        then:
        firings == ['2026-02-13', '2026-03-13', '2026-11-13', '2027-08-13']
    }

    def "a time skipped by the spring DST jump fires right after the jump"() {
        given:
        def s = CronSchedule.parse('30 2 * * *', 'p/j')
        def after = ZonedDateTime.of(2026, 3, 28, 3, 0, 0, 0, BERLIN)

        when:
        def first = s.next(after)
        def second = s.next(first)

        then: '2026-03-29 02:30 does not exist in Berlin (02:00 -> 03:00)'
        first.toOffsetDateTime().toString() == '2026-03-29T03:30+02:00'
        second.toOffsetDateTime().toString() == '2026-03-30T02:30+02:00'
    }

    def "an hourly schedule steps over the spring gap without firing twice"() {
        given:
        def s = CronSchedule.parse('0 * * * *', 'p/j')
        def t = ZonedDateTime.of(2026, 3, 29, 0, 30, 0, 0, BERLIN)
        def times = []

        when:
        4.times { t = s.next(t); times << t.toOffsetDateTime().toString() }

        then:
        times == ['2026-03-29T01:00+01:00', '2026-03-29T03:00+02:00', '2026-03-29T04:00+02:00', '2026-03-29T05:00+02:00']
    }

    def "a time that occurs twice in autumn fires once, at its first occurrence"() {
        given:
        def s = CronSchedule.parse('30 2 * * *', 'p/j')

        when:
        def first = s.next(ZonedDateTime.of(2026, 10, 24, 3, 0, 0, 0, BERLIN))
        def second = s.next(first)
        def fromSecondOccurrence = s.next(ZonedDateTime.parse('2026-10-25T02:15+01:00[Europe/Berlin]'))

        then:
        first.toOffsetDateTime().toString() == '2026-10-25T02:30+02:00'
        second.toOffsetDateTime().toString() == '2026-10-26T02:30+01:00'
        fromSecondOccurrence.toOffsetDateTime().toString() == '2026-10-26T02:30+01:00'
    }

    def "H gives a job the same schedule every time and spreads different jobs out"() {
        when:
        def mine = (1..5).collect { CronSchedule.parse('H H * * *', 'shop/nightly').expanded() }
        def others = (1..200).collect { CronSchedule.parse('H H * * *', "project-$it/build").expanded() }
        def minutes = others.collect { it.split(' ')[0] as int }
        def hours = others.collect { it.split(' ')[1] as int }

        then:
        mine.toSet().size() == 1
        mine[0] ==~ /\d{1,2} \d{1,2} \* \* \*/
        minutes.every { it in 0..59 } && hours.every { it in 0..23 }
        minutes.toSet().size() > 40
        hours.toSet().size() > 18
    }

    def "H variants stay within their bounds: '#spec'"() {
        expect:
        (1..300).every { n ->
            def fields = CronSchedule.parse(spec, "job-$n").expanded().split(' ')
            check(fields)
        }
        // different jobs get different values
        (1..300).collect { CronSchedule.parse(spec, "job-$it").expanded() }.toSet().size() >= distinct

        where:
        spec               | distinct | check
        'H/15 * * * *'     | 15       | { f -> def m = f[0].split(',')*.toInteger(); m.size() == 4 && m[0] < 15 && m == (0..3).collect { m[0] + 15 * it } }
        'H(0-29)/10 * * * *' | 10     | { f -> def m = f[0].split(',')*.toInteger(); m.size() == 3 && m[0] < 10 && m == [m[0], m[0] + 10, m[0] + 20] }
        'H(0-29) * * * *'  | 25       | { f -> (f[0] as int) in 0..29 }
        'H H H * *'        | 250      | { f -> (f[2] as int) in 1..28 }
        '0 0 * * H'        | 7        | { f -> (f[4] as int) in 0..6 }
        'H H 1,15 1-11 *'  | 100      | { f -> f[2] == '1,15' && f[3] == '1,2,3,4,5,6,7,8,9,10,11' }
        '@midnight'        | 100      | { f -> (f[1] as int) in 0..2 && f[2] == '*' }
        '@hourly'          | 55       | { f -> (f[0] as int) in 0..59 && f[1] == '*' }
        '@daily'           | 200      | { f -> f[2] == '*' && f[4] == '*' }
        '@weekly'          | 200      | { f -> (f[4] as int) in 0..6 && f[2] == '*' }
        '@monthly'         | 200      | { f -> (f[2] as int) in 1..28 && f[3] == '*' }
        '@yearly'          | 250      | { f -> (f[3] as int) in 1..12 }
        '@annually'        | 250      | { f -> (f[3] as int) in 1..12 }
    }

    def "a schedule with H fires at its expanded times"() {
        given:
        def s = CronSchedule.parse('H/20 * * * *', 'p/j')
        def minutes = s.expanded().split(' ')[0].split(',')*.toInteger()
        def t = utc('2026-05-04T10:00:00').minusSeconds(1)
        def fired = []

        when:
        6.times { t = s.next(t); fired << t.minute }

        then:
        fired == minutes + minutes
        s.spec() == 'H/20 * * * *'
    }

    def "aliases and extra spaces are accepted"() {
        expect:
        CronSchedule.parse('  H   2  *  *  1-5 ', 'a').expanded().endsWith(' 2 * * 1,2,3,4,5')
        CronSchedule.parse('@DAILY', 'a').expanded() == CronSchedule.parse('@daily', 'a').expanded()
        CronSchedule.parse('0 0 * * 1-7', 'a').expanded() == '0 0 * * *'
    }

    def "an invalid spec '#spec' is refused with the field at fault"() {
        when:
        CronSchedule.parse(spec, 'p/j')

        then:
        def e = thrown(InvalidCronException)
        e.message == message
        e.field() == field

        where:
        spec               | field          | message
        ''                 | null           | "cron '': the spec is empty"
        '* * * *'          | null           | "cron '* * * *': expected 5 fields (minute hour day-of-month month day-of-week), found 4"
        '* * * * * *'      | null           | "cron '* * * * * *': expected 5 fields (minute hour day-of-month month day-of-week), found 6"
        '@sometimes'       | null           | "cron '@sometimes': unknown alias @sometimes (known: @yearly @annually @monthly @weekly @daily @midnight @hourly)"
        'H 25 * * *'       | 'hour'         | "cron 'H 25 * * *': hour: 25 is out of range 0-23"
        '60 * * * *'       | 'minute'       | "cron '60 * * * *': minute: 60 is out of range 0-59"
        '* * 0 * *'        | 'day-of-month' | "cron '* * 0 * *': day-of-month: 0 is out of range 1-31"
        '* * * 13 *'       | 'month'        | "cron '* * * 13 *': month: 13 is out of range 1-12"
        '* * * * 8'        | 'day-of-week'  | "cron '* * * * 8': day-of-week: 8 is out of range 0-7"
        '5-1 * * * *'      | 'minute'       | "cron '5-1 * * * *': minute: '5-1': the range starts after it ends"
        '*/0 * * * *'      | 'minute'       | "cron '*/0 * * * *': minute: '*/0': the step must be at least 1"
        'H/90 * * * *'     | 'minute'       | "cron 'H/90 * * * *': minute: 'H/90': the step 90 is larger than the range (60 values)"
        'H(5-70) * * * *'  | 'minute'       | "cron 'H(5-70) * * * *': minute: 70 is out of range 0-59"
        'H(9-3) * * * *'   | 'minute'       | "cron 'H(9-3) * * * *': minute: 'H(9-3)': the range starts after it ends"
        'x * * * *'        | 'minute'       | "cron 'x * * * *': minute: 'x' is not a number, a range a-b, *, H or H(a-b), optionally followed by /step"
        '0 * * * MON'      | 'day-of-week'  | "cron '0 * * * MON': day-of-week: 'MON' is not a number, a range a-b, *, H or H(a-b), optionally followed by /step"
        '1,,2 * * * *'     | 'minute'       | "cron '1,,2 * * * *': minute: empty item in '1,,2'"
        '5/15 * * * *'     | 'minute'       | "cron '5/15 * * * *': minute: '5/15': a step needs a range, * or H before it (e.g. 5-59/15)"
        '0 0 30 2 *'       | 'day-of-month' | "cron '0 0 30 2 *': day-of-month: no chosen day exists in any chosen month, so this would never run"
        '0 0 31 4,6,9,11 *' | 'day-of-month' | "cron '0 0 31 4,6,9,11 *': day-of-month: no chosen day exists in any chosen month, so this would never run"
    }

    def "the day-of-week of a result is the one asked for"() {
        expect:
        next('0 12 * * 3', utc('2026-11-22T00:00:00')).dayOfWeek == DayOfWeek.WEDNESDAY
    }
}
