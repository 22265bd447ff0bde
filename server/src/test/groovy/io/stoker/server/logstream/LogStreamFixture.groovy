package io.stoker.server.logstream

import io.stoker.engine.log.FileLogStore
import io.stoker.engine.log.LogStream
import io.stoker.engine.log.TaskLog
import io.stoker.engine.run.RunState
import io.stoker.server.db.Database
import io.stoker.server.event.RunFinished
import io.stoker.server.outbox.OutboxSettings
import io.stoker.server.secret.MasterKey
import io.stoker.server.secret.SecretBox
import io.stoker.store.postgres.TestPostgres

import java.nio.file.Path
import java.time.Clock
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap

/**
 * The log streaming parts as the server wires them, on a real H2 database and real files in a temp dir, with
 * task logs written by the spec: so a spec decides exactly when lines appear, a run ends, or the server "restarts"
 * (a new {@link LogStreams} on the same database and files). With {@code -Dstoker.test.store=postgresql} the rows
 * are kept in a PostgreSQL database of its own (dropped after).
 */
class LogStreamFixture implements Closeable {
    final Path dir
    final Database db
    final TestPostgres postgres
    final SecretBox box
    final CombinedLog combined
    final FileLogStore logs
    final Set<String> ended = ConcurrentHashMap.newKeySet()
    /** Runs that end (stored, and their end event told) right after the store is first asked whether they ended. */
    final Set<String> endWhenAsked = ConcurrentHashMap.newKeySet()
    LogStreams streams
    int line

    LogStreamFixture(Path dir) {
        this.dir = dir
        postgres = System.getProperty('stoker.test.store') == 'postgresql' ? TestPostgres.create() : null
        db = Database.open(dir, postgres?.dbUrl())
        box = new SecretBox(MasterKey.load(dir, [:]))
        combined = new CombinedLog(dir.resolve('runs'))
        logs = new FileLogStore(dir.resolve('runs'), 1 << 20, combined)
    }

    static LogStreamSettings settings(Map<String, String> more = [:]) {
        LogStreamSettings.fromEnv([STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_MAX_BACKOFF: '200ms',
                                   STOKER_OUTBOX_TIMEOUT: '3s'] + more)
    }

    LogStreams start(LogStreamSettings settings = settings(), List<LogShipper> shippers = null) {
        def s = shippers ?: [new HttpLogShipper(settings.outbox().timeout(), settings.maxRequest())]
        streams = new LogStreams(new LogStreamRepository(db, box, Clock.systemUTC()), combined, { endedAsStored(it) },
                settings, Clock.systemUTC(), s)
        streams.start()
        streams
    }

    private boolean endedAsStored(String run) {
        boolean was = ended.contains(run)
        if (endWhenAsked.remove(run)) end(run)
        was
    }

    /** Writes {@code n} numbered lines to a task's log (kept open). */
    void write(TaskLog log, int n) {
        n.times { log.line(LogStream.OUT, System.currentTimeMillis(), "line ${++line} of the build") }
    }

    /** The run ended: stored as ended, and its end event told. */
    void end(String run) {
        ended << run
        streams.onEvent(new RunFinished(run, 'p', 'j', RunState.SUCCEEDED, java.time.Instant.now()))
    }

    LogStreamRow row(String run) {
        streams.list(run)[0]
    }

    String combinedText(String run) {
        combined.file(run).toFile().getText('UTF-8')
    }

    @Override
    void close() {
        streams?.close()
        db.close()
        postgres?.close()
    }
}
