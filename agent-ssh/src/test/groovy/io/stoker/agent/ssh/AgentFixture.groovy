package io.stoker.agent.ssh

import io.stoker.engine.exec.Executor
import io.stoker.engine.exec.RunningTask
import io.stoker.engine.exec.TaskLaunch
import io.stoker.model.Task

import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/** Small pieces the agent specs share: fast settings, a recording listener, waiting, routing by agent label. */
class AgentFixture {
    /** Multiplies test time limits on slow machines ({@code -Dstoker.test.timeoutFactor=3}). */
    static final double FACTOR = (System.getProperty('stoker.test.timeoutFactor') ?: '1') as double

    /**
     * Heartbeat 1 s, lost after 3 s, connect within 5 s (scaled). Not a faster heartbeat: each beat may take twice
     * its period plus 0.5 s, and three slow ones in a row close the link (cutting every channel on it); at 300 ms a
     * loaded machine's 1.1 s pauses set a healthy agent offline. A dropped link is seen at once, not at a beat.
     */
    static SshAgent.Settings fast(long lostMillis = 3000) {
        new SshAgent.Settings(Duration.ofMillis(ms(1000)), Duration.ofMillis(ms(lostMillis)), Duration.ofMillis(ms(5000)))
    }

    static long ms(long millis) {
        (long) (millis * FACTOR)
    }

    /** Polls a condition until it holds or the (scaled) deadline passes; returns whether it held. */
    static boolean await(long millis, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + ms(millis) * 1_000_000
        while (System.nanoTime() < deadline) {
            if (condition()) return true
            Thread.sleep(10)
        }
        condition()
    }

    /** Records what an agent reports. */
    static class Events implements SshAgent.Listener {
        final List<String> statuses = new CopyOnWriteArrayList<>()
        final List<String> learned = new CopyOnWriteArrayList<>()

        void statusChanged(String agent, AgentStatus status, String reason) {
            statuses << (status.name() + (reason ? ": " + reason : ""))
        }

        void hostKeyLearned(String agent, String fingerprint) {
            learned << fingerprint
        }
    }

    /** Routes each launch to the executor named by its agent label ({@code agent 'a'}), else to {@code fallback}. */
    static class Routing implements Executor {
        final Map<String, Executor> byName
        final Executor fallback

        Routing(Map<String, Executor> byName, Executor fallback = null) {
            this.byName = byName
            this.fallback = fallback
        }

        RunningTask start(TaskLaunch launch) {
            def e = launch.agent() ? byName[launch.agent()] : fallback
            if (e == null) throw new IOException("no executor for agent '${launch.agent()}'")
            e.start(launch)
        }
    }

    /** The task, to run on the agent named {@code agent}. */
    static Task on(String agent, Task t) {
        new Task(t.name(), t.baseName(), t.matrix(), t.steps(), t.needs(), t.input(), t.env(), t.secrets(),
                t.artifacts(), t.artifactsWhen(), t.cache(), t.retry(), t.timeoutMillis(), t.allowFailure(), t.when(), agent, t.approval(), t.container(), t.pos())
    }
}
