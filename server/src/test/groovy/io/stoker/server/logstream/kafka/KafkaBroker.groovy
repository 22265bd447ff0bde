package io.stoker.server.logstream.kafka

import io.stoker.engine.fixtures.FreePort
import io.stoker.server.Http
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.Uuid
import org.apache.kafka.common.serialization.ByteArrayDeserializer
import org.apache.kafka.common.serialization.StringDeserializer

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.Duration

/**
 * A real single-node KRaft Kafka broker (kafka_2.13 4.1.0 from Maven Central) in a child JVM, on free ports of
 * 127.0.0.1 with its log dir in a temp dir. The broker needs the clients jar of its own version: the spec class
 * path's kafka-clients (4.4.0, the server's) is swapped for the 4.1.0 jar the build copies to target/kafka-broker.
 * Stopped by its process handle.
 */
class KafkaBroker implements Closeable {
    final int port = freePort()
    final int controllerPort = freePort()
    final Path dir
    Process process

    KafkaBroker(Path dir) {
        this.dir = Files.createDirectories(dir)
    }

    String getAddress() { "127.0.0.1:$port" }

    /** Formats the log dir (a child JVM) and starts the broker (another); call {@link #awaitUp} before using it. */
    KafkaBroker start() {
        Path props = dir.resolve('server.properties')
        props.text = """
            process.roles=broker,controller
            node.id=1
            controller.quorum.voters=1@127.0.0.1:$controllerPort
            listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controllerPort
            advertised.listeners=PLAINTEXT://127.0.0.1:$port
            controller.listener.names=CONTROLLER
            listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
            log.dirs=${dir.resolve('data')}
            num.partitions=1
            offsets.topic.replication.factor=1
            transaction.state.log.replication.factor=1
            transaction.state.log.min.isr=1
            group.initial.rebalance.delay.ms=0
            auto.create.topics.enable=true
            """.stripIndent()
        Path logback = dir.resolve('logback.xml')
        logback.text = '<configuration><appender name="F" class="ch.qos.logback.core.FileAppender"><file>' +
                dir.resolve('broker.log') + '</file><encoder><pattern>%d %-5level %logger - %msg%n</pattern></encoder>' +
                '</appender><root level="WARN"><appender-ref ref="F"/></root></configuration>'
        def format = java('kafka.tools.StorageTool', 'format', '-t', Uuid.randomUuid().toString(), '-c', props.toString(),
                '--ignore-formatted')
        def out = dir.resolve('format.out').toFile()
        format.redirectErrorStream(true).redirectOutput(out)
        def f = format.start()
        if (!f.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || f.exitValue() != 0) {
            f.destroyForcibly()
            throw new IllegalStateException("formatting the Kafka log dir failed: ${out.text}")
        }
        process = java('kafka.Kafka', props.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve('broker.out').toFile()).start()
        this
    }

    KafkaBroker awaitUp() {
        Http.eventually(90_000) {
            if (!process.alive) throw new IllegalStateException("the Kafka broker exited: ${dir.resolve('broker.out').text}")
            try {
                new Socket('127.0.0.1', port).close()
                true
            } catch (IOException notYet) {
                false
            }
        }
        this
    }

    /** Kills the broker by its handle and waits for it to be gone. */
    void stop() {
        if (process == null) return
        process.destroyForcibly()
        process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
        process = null
    }

    /** Every record of a topic's partition 0 so far, polled until {@code enough} holds (or the time is up). */
    List<ConsumerRecord<String, byte[]>> records(String topic, Closure<Boolean> enough) {
        def props = [(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG): address, (ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG): false,
                     (ConsumerConfig.AUTO_OFFSET_RESET_CONFIG): 'earliest']
        def consumer = new KafkaConsumer<String, byte[]>(props as Map<String, Object>, new StringDeserializer(), new ByteArrayDeserializer())
        try {
            def tp = new TopicPartition(topic, 0)
            consumer.assign([tp])
            consumer.seekToBeginning([tp])
            List<ConsumerRecord<String, byte[]>> got = []
            long deadline = System.currentTimeMillis() + 60_000 * Http.TIMEOUT_FACTOR
            while (!enough(got) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).each { got << it }
            }
            got
        } finally {
            consumer.close(Duration.ofSeconds(2))
        }
    }

    @Override
    void close() {
        stop()
    }

    private ProcessBuilder java(String main, String... args) {
        String java = Paths.get(System.getProperty('java.home'), 'bin', 'java').toString()
        new ProcessBuilder([java, '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
                            "-Dlogback.configurationFile=${dir.resolve('logback.xml')}".toString(),
                            '-cp', classPath(), main] + args.toList())
    }

    /** The spec's class path without its own classes and with the broker's clients jar instead of the server's. */
    static String classPath() {
        Path clients = Files.list(Paths.get('target', 'kafka-broker')).withCloseable { s ->
            s.filter { it.fileName.toString().startsWith('kafka-clients-') }.findFirst().orElseThrow()
        }
        (System.getProperty('surefire.test.class.path') ?: System.getProperty('java.class.path')).split(File.pathSeparator)
                .findAll { !it.endsWith('classes') && !it.endsWith('test-classes') }
                .collect { Paths.get(it).fileName.toString().startsWith('kafka-clients-') ? clients.toAbsolutePath().toString() : it }
                .join(File.pathSeparator)
    }

    private static int freePort() {
        FreePort.pick()
    }
}
