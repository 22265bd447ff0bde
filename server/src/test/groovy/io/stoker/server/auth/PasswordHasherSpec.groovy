package io.stoker.server.auth

import spock.lang.Shared
import spock.lang.Specification

/** Argon2id PHC strings with OWASP parameters; malformed or tampered strings never verify. */
class PasswordHasherSpec extends Specification {
    @Shared PasswordHasher hasher = new PasswordHasher()

    def "a hash is an Argon2id PHC string with OWASP parameters and a fresh salt"() {
        when:
        def a = hasher.hash('correct horse battery')
        def b = hasher.hash('correct horse battery')

        then:
        a ==~ '\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}'
        a != b
        hasher.verify('correct horse battery', a)
        hasher.verify('correct horse battery', b)
        !hasher.verify('correct horse batterz', a)
        !hasher.verify('', a)
    }

    def "the stand-in for an unknown user's hash has a stored hash's form and parameters, and no password matches it"() {
        when: 'verifying against it derives a hash with the same memory, passes and length as against a real one'
        def stand = hasher.unmatchable()
        def real = hasher.hash('some password')

        then:
        stand ==~ '\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}'
        def (standParts, realParts) = [stand.split('\\$'), real.split('\\$')]
        standParts[1..3] == realParts[1..3]                 // algorithm, version, m/t/p
        standParts[4].size() == realParts[4].size()         // salt
        standParts[5].size() == realParts[5].size()         // hash length
        stand != hasher.unmatchable()
        !hasher.verify('', stand)
        !hasher.verify('some password', stand)
    }

    def "it matches the reference Argon2id test vector (RFC 9106 parameters through the PHC form)"() {
        given: 'password "password", salt "somesalt", m=65536, t=2, p=1 (the reference implementation\'s test)'
        def phc = '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc'

        expect:
        hasher.verify('password', phc)
        !hasher.verify('Password', phc)
    }

    def "malformed and tampered strings do not verify"() {
        given:
        def good = hasher.hash('some password')

        expect:
        !hasher.verify('some password', bad)

        where:
        bad << [null, '', 'plain', '$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQxMjM0NTY$abc',
                '$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHQxMjM0NTY$c29tZXNhbHQxMjM0NTY',
                '$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHQxMjM0NTY$c29tZXNhbHQxMjM0NTY',
                '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQxMjM0NTY$c29tZXNhbHQxMjM0NTYc29tZXNhbHQxMjM0NTY']
    }

    def "changing the stored parameters breaks verification"() {
        given:
        def good = hasher.hash('some password')

        expect:
        !hasher.verify('some password', good.replace('t=2', 't=3'))
        !hasher.verify('some password', good.replace('m=19456', 'm=19455'))
    }

    def "a hasher of another cost writes it into each hash, and verifies hashes of any cost"() {
        given:
        def cheap = new PasswordHasher(PasswordHasher.Cost.parse('m=64,t=1,p=1'))
        def dear = hasher.hash('some password')

        when:
        def hash = cheap.hash('some password')

        then:
        hash ==~ '\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}'
        cheap.unmatchable().contains('$m=64,t=1,p=1$')
        cheap.verify('some password', hash)
        hasher.verify('some password', hash)
        cheap.verify('some password', dear)
        !cheap.verify('other password', hash)
    }

    def "a cost is read as a PHC string writes it, and one a stored hash could not be verified with is refused"() {
        expect:
        PasswordHasher.Cost.parse(' m=47104,t=1,p=1 ') == new PasswordHasher.Cost(47104, 1, 1)
        PasswordHasher.Cost.parse('m=19456,t=2,p=1') == PasswordHasher.Cost.DEFAULT

        when:
        PasswordHasher.Cost.parse(text)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        text               | message
        '19456'            | "'19456' is not an Argon2id cost like m=19456,t=2,p=1 (memory in KiB, passes, lanes)"
        'm=19456,t=2'      | "'m=19456,t=2' is not an Argon2id cost like m=19456,t=2,p=1 (memory in KiB, passes, lanes)"
        'm=16,t=1,p=4'     | 'm must be 8 KiB per lane (8 × p) to 1048576 KiB'
        'm=2000000,t=1,p=1'| 'm must be 8 KiB per lane (8 × p) to 1048576 KiB'
        'm=64,t=0,p=1'     | 't must be 1 to 99'
        'm=64,t=1,p=17'    | 'p must be 1 to 16'
    }

    def "a cost is below OWASP's minimum when it is weaker than each of the cheat sheet's equivalent choices"() {
        expect:
        PasswordHasher.Cost.parse(text).belowOwaspMinimum() == below

        where:
        text              | below
        'm=19456,t=2,p=1' | false
        'm=47104,t=1,p=1' | false
        'm=12288,t=3,p=1' | false
        'm=7168,t=5,p=1'  | false
        'm=65536,t=4,p=2' | false
        'm=19456,t=1,p=1' | true
        'm=6144,t=10,p=1' | true
        'm=64,t=1,p=1'    | true
    }
}
