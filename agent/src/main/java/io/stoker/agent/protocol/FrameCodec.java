package io.stoker.agent.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads and writes {@link Frame}s over a pair of byte streams: each frame is a 4-byte big-endian length and that
 * many bytes of UTF-8 JSON (bytes in base64). Reading is for one thread, writing is thread-safe and flushes every
 * frame. A frame over {@link #MAX_FRAME} bytes or one that is not a known message is a {@link ProtocolException};
 * nothing is ever deserialised into a type the JSON names beyond the records of {@link Frame}.
 */
public final class FrameCodec implements AutoCloseable {
    /** The largest frame accepted: a chunk of 64 KiB is about 88 KiB of JSON; a workspace listing may be larger. */
    public static final int MAX_FRAME = 64 * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES) // every field is always written
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer peer may add fields
            .build();

    private final DataInputStream in;
    private final OutputStream out;
    private final InputStream rawIn;
    private final OutputStream rawOut;

    public FrameCodec(InputStream in, OutputStream out) {
        this.rawIn = in;
        this.rawOut = out;
        this.in = new DataInputStream(new BufferedInputStream(in, 64 * 1024));
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    /** The next frame, or null at a clean end of the stream (between frames). */
    public Frame read() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new ProtocolException("a frame of " + length + " bytes (at most " + MAX_FRAME + ")");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) throw new EOFException("the stream ended inside a frame");
        return decode(body);
    }

    /** Writes one frame and flushes it. */
    public void write(Frame frame) throws IOException {
        byte[] body = encode(frame);
        synchronized (out) {
            out.write(body.length >>> 24);
            out.write(body.length >>> 16);
            out.write(body.length >>> 8);
            out.write(body.length);
            out.write(body);
            out.flush();
        }
    }

    static byte[] encode(Frame frame) throws JsonProcessingException {
        // through the sealed interface, so the "type" property is always written
        return JSON.writerFor(Frame.class).writeValueAsBytes(frame);
    }

    static Frame decode(byte[] body) throws ProtocolException {
        try {
            return JSON.readValue(body, Frame.class);
        } catch (IOException e) {
            throw new ProtocolException("not a frame of this protocol: " + describe(e));
        }
    }

    private static String describe(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    /** Closes both streams. */
    @Override
    public void close() {
        try {
            rawOut.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            rawIn.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** The peer sent something this protocol does not allow. */
    public static final class ProtocolException extends IOException {
        public ProtocolException(String message) {
            super(message);
        }
    }
}
