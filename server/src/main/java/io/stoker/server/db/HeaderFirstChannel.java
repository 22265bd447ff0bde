package io.stoker.server.db;

import org.h2.mvstore.DataUtils;
import org.h2.store.fs.FileBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The H2 database file, written so that a {@code kill -9} loses no commit that returned: before H2 writes a chunk,
 * the store header names the newest chunk already written.
 *
 * <p>Why: H2 2.3.232 finds the newest version after a crash by starting at the chunk its store header names and
 * following each chunk's guess of where the next one went, and it rewrites that header only now and then (every 20
 * versions, or after a chunk went elsewhere than guessed). Its new chunk may reuse the space of a dead chunk that this
 * path still runs through — the header's own chunk, even — and it rewrites the header only after writing the chunk. A
 * crash between the two left a file whose path ended before the lost chunk: an acknowledged commit and the ones after
 * it were gone (6 of them in one case, the header's chunk overwritten by the chunk being written; {@code
 * H2DurabilitySpec} caught it about once in 100 kills while freed space was reused at once). With the header naming
 * the newest complete chunk before every chunk write, the path is that chunk alone, and a chunk in use is never
 * reused. Cost: at most one more 8 KB write at the file's start per commit, into the page cache.
 *
 * <p>The header written here is H2's own (same fields, checksum and two copies); only where H2 itself writes it
 * differs. Everything else passes through.
 */
final class HeaderFirstChannel extends FileBase {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderFirstChannel.class);
    private static final int HEADER_BYTES = 2 * ChunkMark.BLOCK;
    /** Most chunks followed from the header when the channel opens. */
    private static final int MAX_PATH = 1000;

    private final FileChannel file;
    /** The store header as it is in the file now (null before H2 wrote its first). */
    private Map<String, String> header;
    /** The chunk whose write started last: complete once the next one starts. */
    private ChunkMark writing;

    HeaderFirstChannel(FileChannel file) throws IOException {
        this.file = file;
        this.header = readHeader();
    }

    @Override
    public synchronized int write(ByteBuffer src, long position) throws IOException {
        if (position >= HEADER_BYTES && src.remaining() > 0) {
            ChunkMark chunk = ChunkMark.ofHeader(peek(src, ChunkMark.MAX_HEADER_LENGTH), position);
            if (chunk != null) {
                nameInHeader(writing != null ? writing : findInFile(chunk.id() - 1));
                // a chunk moved while the file is compacted on close is an older one: the newest stays the newest
                if (writing == null || chunk.version() >= writing.version()) writing = chunk;
            }
        }
        byte[] headerBytes = position == 0 ? peek(src, ChunkMark.BLOCK) : null;
        int written = file.write(src, position);
        if (headerBytes != null) {
            Map<String, String> h = ChunkMark.checksummed(headerBytes);
            if (h != null) header = h;
        }
        return written;
    }

    /**
     * Writes the store header naming {@code newest}, unless there is no header yet or it names that version or a
     * newer one already (a header never goes back in versions).
     */
    private void nameInHeader(ChunkMark newest) throws IOException {
        if (newest == null || header == null || !header.containsKey("chunk") || !header.containsKey("version")) return;
        if (newest.version() <= ChunkMark.hexLong(header, "version")) return;
        HashMap<String, String> fields = new HashMap<>(header);
        fields.remove("clean"); // this file is in use: a crash now must not be read as a clean close
        fields.put("block", Long.toHexString(newest.block()));
        fields.put("chunk", Integer.toHexString(newest.id()));
        fields.put("version", Long.toHexString(newest.version()));
        StringBuilder text = DataUtils.appendMap(new StringBuilder(112), fields);
        byte[] body = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        DataUtils.appendMap(text, "fletcher", DataUtils.getFletcher32(body, 0, body.length));
        text.append('\n');
        byte[] line = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer both = ByteBuffer.allocate(HEADER_BYTES);
        both.put(line).position(ChunkMark.BLOCK);
        both.put(line).rewind();
        while (both.hasRemaining()) file.write(both, both.position());
        header = fields;
    }

    /**
     * The chunk {@code id}, as the file holds it when this channel has not seen it written: followed from the header
     * (as H2 does after a crash), else the chunk ending the file. Null when neither is it, intact.
     */
    private ChunkMark findInFile(int id) throws IOException {
        if (header == null || !header.containsKey("block")) return null;
        ChunkMark at = readChunk(ChunkMark.hexLong(header, "block"));
        for (int i = 0; at != null && i < MAX_PATH; i++) {
            if (at.id() == id) return at;
            Map<String, String> line = chunkLine(at.block());
            long next = line == null || !line.containsKey("next") ? 0 : ChunkMark.hexLong(line, "next");
            ChunkMark following = next == 0 ? null : readChunk(next);
            at = following != null && following.id() == at.id() + 1 ? following : null;
        }
        long size = file.size();
        if (size < HEADER_BYTES + ChunkMark.BLOCK) return null;
        Map<String, String> footer = ChunkMark.checksummed(read(size - ChunkMark.FOOTER_LENGTH, ChunkMark.FOOTER_LENGTH));
        if (footer == null) return null;
        ChunkMark last = readChunk(size / ChunkMark.BLOCK - ChunkMark.hexInt(footer, "len"));
        if (last != null && last.id() == id) return last;
        LOG.debug("chunk {} not found from the header of the H2 file: its header is left to H2", id);
        return null;
    }

    /** The intact chunk that starts at {@code block} (its header line and its footer agree), or null. */
    private ChunkMark readChunk(long block) throws IOException {
        long size = file.size();
        if (block < 2 || block * ChunkMark.BLOCK >= size) return null;
        ChunkMark chunk = ChunkMark.ofHeader(read(block * ChunkMark.BLOCK, ChunkMark.MAX_HEADER_LENGTH), block * ChunkMark.BLOCK);
        if (chunk == null || chunk.end() * ChunkMark.BLOCK > size) return null;
        return chunk.closedBy(read(chunk.end() * ChunkMark.BLOCK - ChunkMark.FOOTER_LENGTH, ChunkMark.FOOTER_LENGTH)) ? chunk : null;
    }

    private Map<String, String> chunkLine(long block) throws IOException {
        byte[] bytes = read(block * ChunkMark.BLOCK, ChunkMark.MAX_HEADER_LENGTH);
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n') end++;
        try {
            return DataUtils.parseMap(new String(bytes, 0, end, StandardCharsets.ISO_8859_1).trim());
        } catch (RuntimeException damaged) {
            return null;
        }
    }

    /** The newer intact copy of the store header, or null for a new file. */
    private Map<String, String> readHeader() throws IOException {
        if (file.size() < HEADER_BYTES) return null;
        Map<String, String> newest = null;
        for (long at = 0; at < HEADER_BYTES; at += ChunkMark.BLOCK) {
            Map<String, String> h = ChunkMark.checksummed(read(at, ChunkMark.BLOCK));
            if (h != null && h.containsKey("version") && (newest == null
                    || ChunkMark.hexLong(h, "version") > ChunkMark.hexLong(newest, "version"))) {
                newest = h;
            }
        }
        return newest;
    }

    private byte[] read(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(length, file.size() - position)));
        while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) > 0) {
            // read on
        }
        return buffer.array();
    }

    private static byte[] peek(ByteBuffer src, int length) {
        ByteBuffer view = src.duplicate();
        byte[] bytes = new byte[Math.min(length, view.remaining())];
        view.get(bytes);
        return bytes;
    }

    @Override
    public synchronized int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        long at = position();
        int written = write(src, at);
        position(at + written);
        return written;
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public synchronized FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
