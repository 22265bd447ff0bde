package io.stoker.server.db

import org.h2.store.fs.FileBase
import org.h2.store.fs.FilePath
import org.h2.store.fs.FilePathWrapper

import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.channels.FileLock

/**
 * A file system for {@link HeaderFirstSpec} ({@code jdbc:h2:crashwindow:…}) that catches the moments a crash used to
 * lose commits: right after H2 wrote a chunk over the space of one of the last {@link #RECENT} chunks it wrote (a
 * chunk a recovery may start from or pass through), before anything else is written. It hands the file's bytes at
 * that moment to {@link #moment} — what a {@code kill -9} then would leave, as the page cache holds every write that
 * returned.
 */
class CrashWindowPath extends FilePathWrapper {
    static final String SCHEME = 'crashwindow'
    /** H2 rewrites the store header at least every 20 versions: older chunks are no recovery's concern. */
    static final int RECENT = 20
    /** Called with the file's bytes at each such moment (set by the spec; one database at a time). */
    static volatile Closure moment = {}

    static {
        FilePath.register(new CrashWindowPath())
    }

    static void register() {
    }

    @Override
    String getScheme() {
        SCHEME
    }

    @Override
    FileChannel open(String mode) throws IOException {
        FileChannel file = getBase().open(mode)
        name.endsWith('.mv.db') ? new Channel(file) : file
    }

    static class Channel extends FileBase {
        private final FileChannel file
        /** The chunks written last, oldest first. */
        private final Deque<ChunkMark> recent = new ArrayDeque<>()

        Channel(FileChannel file) {
            this.file = file
        }

        @Override
        synchronized int write(ByteBuffer src, long position) throws IOException {
            byte[] start = new byte[Math.min(ChunkMark.MAX_HEADER_LENGTH, src.remaining())]
            src.duplicate().get(start)
            def chunk = position > 0 ? ChunkMark.ofHeader(start, position) : null
            int written = file.write(src, position)
            if (chunk != null) {
                if (recent.any { it.id() != chunk.id() && chunk.block() < it.end() && it.block() < chunk.end() }) {
                    moment(bytes())
                }
                recent.addLast(chunk)
                if (recent.size() > RECENT) recent.removeFirst()
            }
            written
        }

        private byte[] bytes() {
            readAt(0, (int) file.size())
        }

        private byte[] readAt(long position, int length) {
            def buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(length, file.size() - position)))
            while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) > 0) {
                // read on
            }
            buffer.array()
        }

        @Override
        synchronized int read(ByteBuffer dst, long position) { file.read(dst, position) }

        @Override
        int read(ByteBuffer dst) { file.read(dst) }

        @Override
        int write(ByteBuffer src) { throw new UnsupportedOperationException('H2 writes at positions') }

        @Override
        long position() { file.position() }

        @Override
        FileChannel position(long p) { file.position(p); this }

        @Override
        long size() { file.size() }

        @Override
        synchronized FileChannel truncate(long size) { file.truncate(size); this }

        @Override
        void force(boolean metaData) { file.force(metaData) }

        @Override
        FileLock tryLock(long position, long size, boolean shared) { file.tryLock(position, size, shared) }

        @Override
        protected void implCloseChannel() { file.close() }
    }
}
