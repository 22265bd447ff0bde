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
}
