package io.stoker.server.api;

import io.stoker.server.Problem;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.List;

/**
 * A download that honours one {@code Range: bytes=…} (RFC 9110 §14), so that {@code curl -C -} resumes it: 206 with
 * {@code Content-Range} for a range, 416 (with {@code Content-Range: bytes *}{@code /size}) for one beyond the end,
 * and the whole answer for no header or one the server does not serve ({@link ByteRange}). The bytes go from the
 * file by the kernel ({@code sendFile} with an offset and a length): a download of any size costs no heap.
 */
final class RangedFile {
    private RangedFile() {
    }

    /** The bytes of a file to send: {@code length} from {@code from}. */
    record Part(long from, long length) {
        static Part whole(long size) {
            return new Part(0, size);
        }

        /** The byte after the part, as a client asks for it next. */
        long end() {
            return from + length;
        }
    }

    /**
     * What to send of a file of {@code size} bytes whose answer without a range is {@code whole}: the range the
     * request's header asks for (the response made a 206), or {@code whole}; null once the request was failed
     * with 416 ({@code what} names the file in its message). Says {@code Accept-Ranges: bytes} either way.
     */
    static Part part(RoutingContext ctx, long size, Part whole, String what) {
        String header = ctx.request().getHeader("range");
        HttpServerResponse res = ctx.response().putHeader("accept-ranges", "bytes");
        return switch (header == null ? ByteRange.IGNORED : ByteRange.of(header, size)) {
            case ByteRange.Ignored ignored -> whole;
            case ByteRange.Unsatisfiable none -> {
                // the reason as JSON like every other refusal; the header as RFC 9110 asks
                res.putHeader("content-range", "bytes */" + size);
                ctx.fail(new Problem(416, "range not satisfiable", "the " + what + " has " + size + " bytes: Range '"
                        + header + "' asks for none of them (one range 'bytes=FROM-[TO]' with FROM below the size)",
                        List.of()));
                yield null;
            }
            case ByteRange.Span span -> {
                res.setStatusCode(206).putHeader("content-range", "bytes " + span.first() + "-" + span.last() + "/" + size);
                yield new Part(span.first(), span.length());
            }
        };
    }

    /** Sends {@code part} of {@code file} as the body; a failure on the way fails the request. */
    static void send(RoutingContext ctx, Path file, Part part) {
        if (part.length() == 0) ctx.response().end();
        else ctx.response().sendFile(file.toString(), part.from(), part.length()).onFailure(ctx::fail);
    }

    /** The whole file, or the one range of it the request asks for: {@link #part} then {@link #send}. */
    static void send(RoutingContext ctx, Path file, String what) {
        long size = file.toFile().length();
        Part part = part(ctx, size, Part.whole(size), what);
        if (part != null) send(ctx, file, part);
    }
}
