package io.stoker.server.console;

/** A shields.io-style status badge: a grey label and a coloured message, widths from a per-character estimate. */
public final class Badge {
    private Badge() {
    }

    /** The badge of a job's last status (null: no run yet). */
    public static String of(String label, String status) {
        String message = status == null ? "no runs" : switch (status) {
            case "succeeded" -> "passing";
            case "failed", "timedout" -> "failing";
            default -> status;
        };
        String colour = status == null ? "#9f9f9f" : switch (status) {
            case "succeeded" -> "#2e7d32";
            case "failed", "timedout" -> "#c62828";
            case "running", "queued", "waiting", "starting" -> "#1565c0";
            default -> "#6d6d6d";
        };
        return svg(label, message, colour);
    }

    static String svg(String label, String message, String colour) {
        int lw = width(label);
        int mw = width(message);
        int w = lw + mw;
        String l = escape(label);
        String m = escape(message);
        return """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">\
                <title>%s: %s</title><clipPath id="r"><rect width="%d" height="20" rx="3" fill="#fff"/></clipPath>\
                <g clip-path="url(#r)"><rect width="%d" height="20" fill="#555"/>\
                <rect x="%d" width="%d" height="20" fill="%s"/></g>\
                <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">\
                <text x="%d" y="14">%s</text><text x="%d" y="14">%s</text></g></svg>
                """.formatted(w, l, m, l, m, w, lw, lw, mw, colour, lw / 2, l, lw + mw / 2, m);
    }

    private static int width(String text) {
        return 10 + (int) Math.ceil(text.length() * 6.5);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
