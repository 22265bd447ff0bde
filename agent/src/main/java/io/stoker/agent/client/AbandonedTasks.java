package io.stoker.agent.client;

import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.FrameCodec;
import io.stoker.agent.protocol.StreamName;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Stops the tasks another owner left on an agent program (a server of the cluster that died): speaking as that
 * owner, it cancels each task {@code which} names, waits for the program to report it ended (its process group was
 * killed), and only then has it forget the task. A server taking the dead one's runs over does this before a run
 * may start again, so an attempt never runs beside the one it replaces.
 */
public final class AbandonedTasks {
    private AbandonedTasks() {
    }

    /**
     * Over {@code codec} (a fresh connection to the program), as {@code owner}: stops its tasks that {@code which}
     * accepts, waiting at most until {@code deadlineNanos} ({@link System#nanoTime()}). Returns the ids of those not
     * seen ending by then (empty when every one ended, or there were none). Closes the codec.
     */
    public static List<String> stop(FrameCodec codec, String owner, Predicate<String> which, long deadlineNanos)
            throws IOException {
        try {
            codec.write(new Frame.Hello(Frame.PROTOCOL, "stoker-server", List.of(), owner));
            Frame first = codec.read();
            if (!(first instanceof Frame.Hello h) || h.protocol() != Frame.PROTOCOL) {
                throw new FrameCodec.ProtocolException("the agent does not speak protocol " + Frame.PROTOCOL
                        + ": it said " + first);
            }
            Set<String> left = new HashSet<>(h.tasks().stream().filter(which).toList());
            for (String id : left) {
                // nobody reads its output any more: the program must not wait for credit before it reports the end
                codec.write(new Frame.Close(id, StreamName.STDOUT, 0));
                codec.write(new Frame.Close(id, StreamName.STDERR, 0));
                codec.write(new Frame.Cancel(id));
                codec.write(new Frame.Resume(id, 0, 0)); // a task that ended already reports its exit again
            }
            awaitExits(codec, left, deadlineNanos);
            return left.stream().sorted().toList();
        } finally {
            codec.close();
        }
    }

    /** Reads frames until every task in {@code left} reported its end (each is released then) or the deadline. */
    private static void awaitExits(FrameCodec codec, Set<String> left, long deadlineNanos) throws IOException {
        if (left.isEmpty()) return;
        BlockingQueue<Optional<Frame>> frames = new LinkedBlockingQueue<>();
        // ends when the caller closes the codec
        Thread.ofPlatform().daemon().name("abandoned-tasks").start(() -> {
            try {
                for (Frame f = codec.read(); f != null; f = codec.read()) frames.add(Optional.of(f));
            } catch (IOException e) {
                // closed: said below as the end of the frames
            }
            frames.add(Optional.empty());
        });
        while (!left.isEmpty()) {
            Optional<Frame> next;
            try {
                next = frames.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the tasks " + left);
            }
            if (next == null) return; // the deadline
            if (next.isEmpty()) throw new IOException("the agent program closed the connection");
            String id = switch (next.get()) {
                case Frame.Exit e -> e.task();
                case Frame.Unknown u -> u.task(); // released meanwhile: gone with its process
                default -> null;
            };
            if (id != null && left.remove(id)) codec.write(new Frame.Release(id));
        }
    }
}
