package io.stoker.server.secret

import io.stoker.server.SuiteEnv
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/** The master key outside the database and the AES-GCM box every stored secret goes through. */
class MasterKeySpec extends Specification {
    @TempDir Path dir

    static String randomKey() {
        byte[] raw = new byte[32]
        new java.security.SecureRandom().nextBytes(raw)
        Base64.encoder.encodeToString(raw)
    }

    def "the first start creates a key file only its owner can read, and later starts reuse it"() {
        when:
        def first = MasterKey.load(dir, [:])
        def file = dir.resolve('master.key')

        then:
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) == 'rw-------'
        Base64.decoder.decode(file.text.trim()).length == 32
        first.source() == file.toString()

        when:
        def sealed = new SecretBox(first).sealText('hunter2', 'secret:global:X')

        then:
        new SecretBox(MasterKey.load(dir, [:])).openText(sealed, 'secret:global:X') == 'hunter2'
    }

    def "STOKER_MASTER_KEY wins over the key file"() {
        given:
        MasterKey.load(dir, [:])
        String envKey = randomKey()
        def fromEnv = MasterKey.load(dir, [STOKER_MASTER_KEY: envKey])
        def sealed = new SecretBox(fromEnv).sealText('v', 'c')

        expect:
        fromEnv.source() == 'STOKER_MASTER_KEY'
        new SecretBox(MasterKey.load(Files.createDirectories(dir.resolve('other')), [STOKER_MASTER_KEY: envKey])).openText(sealed, 'c') == 'v'

        when:
        new SecretBox(MasterKey.load(dir, [:])).openText(sealed, 'c')

        then:
        thrown(SecretUnreadableException)
    }

    def "a malformed STOKER_MASTER_KEY is a clear start error"() {
        when:
        MasterKey.load(dir, [STOKER_MASTER_KEY: value])

        then:
        IllegalArgumentException e = thrown()
        e.message == message

        where:
        value                                          || message
        'not base64!'                                  || "STOKER_MASTER_KEY is not base64 (the letters A-Z a-z 0-9 + / and '=' padding): make one with: head -c 32 /dev/urandom | base64"
        'notbase64'                                    || "STOKER_MASTER_KEY is not base64 (the letters A-Z a-z 0-9 + / and '=' padding): make one with: head -c 32 /dev/urandom | base64"
        Base64.encoder.encodeToString(new byte[16])    || 'STOKER_MASTER_KEY must hold 32 bytes (base64), has 16'
    }

    def "a sealed value does not open under another key, in another context, or with one byte changed"() {
        given:
        def box = new SecretBox(MasterKey.load(dir, [:]))
        byte[] sealed = box.sealText('npm_token_value', 'secret:project:web:NPM_TOKEN')

        expect:
        box.openText(sealed, 'secret:project:web:NPM_TOKEN') == 'npm_token_value'
        !new String(sealed, 'ISO-8859-1').contains('npm_token_value')

        when: 'another key'
        new SecretBox(MasterKey.load(dir, [STOKER_MASTER_KEY: randomKey()])).openText(sealed, 'secret:project:web:NPM_TOKEN')
        then:
        thrown(SecretUnreadableException)

        when: 'another scope: copied to another project'
        box.openText(sealed, 'secret:project:api:NPM_TOKEN')
        then:
        thrown(SecretUnreadableException)

        when: 'each byte changed in turn'
        int opened = 0
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone()
            altered[i] = (byte) (altered[i] ^ 0x01)
            try {
                box.open(altered, 'secret:project:web:NPM_TOKEN')
                opened++
            } catch (SecretUnreadableException ignored) {
            }
        }
        then:
        opened == 0

        when: 'too short to be a sealed value'
        box.open(new byte[5], 'c')
        then:
        SecretUnreadableException e = thrown()
        e.message == 'not a sealed value'
    }

    def "the same value sealed twice gives different bytes (a fresh nonce each time)"() {
        given:
        def box = new SecretBox(MasterKey.load(dir, [:]))

        expect:
        box.sealText('same', 'c') != box.sealText('same', 'c')
    }

    def "a server given a bad STOKER_MASTER_KEY does not start, says why, and leaves the data directory usable"() {
        given:
        def config = ServerConfig.defaults().withPort(0).withDataDir(dir).withIsolatedCompiler(false).withSlots(1)

        when:
        StokerServer.start(config, java.time.Clock.systemUTC(), SuiteEnv.with([STOKER_MASTER_KEY: 'too-short']))

        then:
        IllegalArgumentException e = thrown()
        e.message.startsWith('STOKER_MASTER_KEY ')

        when:
        def server = StokerServer.start(config, java.time.Clock.systemUTC(), SuiteEnv.with([:]))
        server.close()

        then:
        Files.exists(dir.resolve('master.key'))
    }
}
