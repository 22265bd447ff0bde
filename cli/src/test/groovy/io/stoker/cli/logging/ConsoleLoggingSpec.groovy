package io.stoker.cli.logging

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.LoggerContext
import ch.qos.logback.classic.spi.Configurator
import ch.qos.logback.core.ConsoleAppender
import org.slf4j.LoggerFactory
import spock.lang.Specification

class ConsoleLoggingSpec extends Specification {

    def "Logback finds the CLI's configuration through the service loader, without a logback.xml"() {
        given: "the context this JVM's Logback set up on its own"
        def context = (LoggerContext) LoggerFactory.getILoggerFactory()

        expect:
        getClass().getResource('/logback.xml') == null
        context.getLogger('org.flywaydb').level == Level.ERROR
        context.getLogger('org.apache.kafka').level == Level.ERROR
        context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender('STDERR') instanceof ConsoleAppender
    }

    def "library messages go to stderr at WARN, Flyway's and Kafka's only at ERROR"() {
        given:
        def context = new LoggerContext()

        when:
        def status = configure(context)

        then:
        status == Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY
        def stderr = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender('STDERR') as ConsoleAppender
        stderr.target == 'System.err'
        stderr.started
        context.getLogger('io.stoker.server').effectiveLevel == (System.getenv('STOKER_LOG_LEVEL') ? ConsoleLogging.level(System.getenv('STOKER_LOG_LEVEL')) : Level.WARN)
        context.getLogger('org.flywaydb.core.Flyway').effectiveLevel == Level.ERROR
        context.getLogger('org.apache.kafka.clients').effectiveLevel == Level.ERROR
    }

    def "a server logs its own events at INFO and libraries at WARN, unless STOKER_LOG_LEVEL names one level for all"() {
        given: 'the root level is what this JVM\'s environment says (WARN when unset)'
        def context = new LoggerContext()
        configure(context)
        def root = context.getLogger(Logger.ROOT_LOGGER_NAME).level

        when:
        ConsoleLogging.forServer(context, level)

        then:
        context.getLogger('io.stoker.agent.ssh.SshAgent').effectiveLevel == (level ? root : Level.INFO)
        context.getLogger('io.vertx.core.impl').effectiveLevel == root

        where:
        level << [null, '', 'error']
    }

    def "STOKER_LOG_LEVEL names the root level; unset, blank or unknown is WARN"() {
        expect:
        ConsoleLogging.level(name) == level

        where:
        name     || level
        null     || Level.WARN
        ''       || Level.WARN
        'debug'  || Level.DEBUG
        ' INFO ' || Level.INFO
        'error'  || Level.ERROR
        'loud'   || Level.WARN
    }

    def "a STOKER_LOG_LEVEL that names no level is refused in one line; a level in any case is taken"() {
        expect:
        ConsoleLogging.refusal(name).orElse(null) == refusal

        where:
        name     || refusal
        null     || null
        ''       || null
        ' info ' || null
        'DEBUG'  || null
        'off'    || null
        'LOUD'   || "STOKER_LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF, not 'LOUD'"
        'verbose'|| "STOKER_LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF, not 'verbose'"
    }

    def "a Logback file named by -Dlogback.configurationFile is left to Logback"() {
        given:
        def before = System.getProperty('logback.configurationFile')
        System.setProperty('logback.configurationFile', '/nowhere/logback.xml')
        def context = new LoggerContext()

        when:
        def status = configure(context)

        then:
        status == Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY
        context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender('STDERR') == null

        cleanup:
        if (before == null) System.clearProperty('logback.configurationFile')
        else System.setProperty('logback.configurationFile', before)
    }

    private static Configurator.ExecutionStatus configure(LoggerContext context) {
        def logging = new ConsoleLogging()
        logging.context = context
        logging.configure(context)
    }
}
