package io.stoker.engine.log

import spock.lang.Specification

/** Newline search eight bytes at a time finds exactly what a byte-by-byte search finds. */
class NewlinesSpec extends Specification {

    static int naiveFirst(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == 10) return i
        -1
    }

    static int naiveLast(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) if (b[i] == 10) return i
        -1
    }

    def "every range of a #name array gives the same first and last newline as a byte-by-byte search"() {
        given:
        byte[] b = bytes as byte[]

        expect:
        (0..b.length).every { from ->
            (from..b.length).every { to ->
                Newlines.first(b, from, to) == naiveFirst(b, from, to) && Newlines.last(b, from, to) == naiveLast(b, from, to)
            }
        }

        where: 'bytes next to a newline in value (0x0B, 0x09, 0x8A with the high bit, 0xFF, 0x00) must not count as one'
        name                    | bytes
        'empty'                 | []
        'newline-free'          | [0x0B, 0x09, 0x8A, 0xFF, 0x00, 0x41, 0x0B, 0x09, 0x8A, 0xFF, 0x00, 0x41, 0x0B, 0x09, 0x8A, 0xFF, 0x00]
        'all-newline'           | [10] * 19
        'one newline at each end' | [10] + [0x8A] * 15 + [10]
        'mixed'                 | [0x41, 10, 0x0B, 0x8A, 0x0A, 0xFF, 0x00, 0x09, 0x42, 0x43, 10, 0x8A, 0x8A, 0x8A, 0x8A, 0x8A, 0x8A, 0x8A, 0x8A, 10, 0x01]
    }

    def "random arrays of every length up to 64 agree with a byte-by-byte search"() {
        given: 'a fixed seed: the same arrays every run'
        def random = new Random(20261124)

        expect:
        (0..2000).every {
            byte[] b = new byte[random.nextInt(65)]
            for (int i = 0; i < b.length; i++) {
                int r = random.nextInt(6)
                b[i] = (byte) (r == 0 ? 10 : r == 1 ? 0x8A : r == 2 ? 0x0B : random.nextInt(256))
            }
            int from = random.nextInt(b.length + 1)
            int to = from + random.nextInt(b.length - from + 1)
            Newlines.first(b, from, to) == naiveFirst(b, from, to) && Newlines.last(b, from, to) == naiveLast(b, from, to)
        }
    }
}
