package io.stoker.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies ({@code STOKER_TRUSTED_PROXIES}: addresses or CIDR blocks, comma separated) whose
 * {@code X-Forwarded-For} is believed. Behind a proxy every connection comes from the proxy's address, so a limit
 * per address (failed logins) would lock everyone out at once; naming the proxy lets the server see the client.
 * The client is the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy (each proxy appends
 * the address it saw, and only the entries trusted proxies added can be believed; a client can write anything
 * left of them). A connection from an address not named here is its own client, whatever it sends.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());
    public static final String ENV = "STOKER_TRUSTED_PROXIES";
    /** Only address literals: a host name would be looked up in DNS. */
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** An address and how many of its leading bits a member shares. */
    private record Block(byte[] network, int bits) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) return false;
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) if (b[i] != network[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[whole] & mask) == (network[whole] & mask);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Block other && bits == other.bits && Arrays.equals(network, other.network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + bits;
        }
    }

    /**
     * Reads {@code 10.0.0.5, 192.168.0.0/16, ::1}; blank is none. A malformed entry is an error naming
     * {@value #ENV}, so a typo is a start error rather than a proxy silently not trusted.
     */
    public static TrustedProxies parse(String spec) {
        if (spec == null || spec.isBlank()) return NONE;
        List<Block> blocks = new ArrayList<>();
        for (String raw : spec.split("[,\\s]+")) {
            if (raw.isEmpty()) continue;
            int slash = raw.indexOf('/');
            String host = slash < 0 ? raw : raw.substring(0, slash);
            InetAddress a = literal(host).orElseThrow(() -> new IllegalArgumentException(
                    ENV + " must list IP addresses or CIDR blocks (10.0.0.0/8), not '" + raw + "'"));
            int max = a.getAddress().length * 8;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(raw.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException(ENV + ": '" + raw + "' needs a prefix length of 0 to " + max);
                }
            }
            blocks.add(new Block(a.getAddress(), bits));
        }
        return new TrustedProxies(blocks);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /**
     * The client's address: {@code peer} (the connection's) unless it is a trusted proxy; then the right-most entry
     * of {@code forwardedFor} (every X-Forwarded-For header in order, each a comma-separated list) that is not a
     * trusted proxy. An entry that is not an address ends the walk at the hop before it.
     */
    public String client(String peer, List<String> forwardedFor) {
        if (blocks.isEmpty() || !trusted(peer)) return peer;
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String part : header.split(",")) if (!part.isBlank()) hops.add(part.strip());
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(withoutPort(hops.get(i)));
            if (hop.isEmpty()) return client;
            client = hop.get().getHostAddress();
            if (!trusted(hop.get())) return client;
        }
        return client;
    }

    private boolean trusted(String address) {
        return literal(address).map(this::trusted).orElse(false);
    }

    private boolean trusted(InetAddress a) {
        return blocks.stream().anyMatch(b -> b.contains(a));
    }

    /** {@code [::1]:443} → {@code ::1}; {@code 1.2.3.4:80} → {@code 1.2.3.4}; anything else as it is. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    private static Optional<InetAddress> literal(String s) {
        if (s == null || !(IPV4.matcher(s).matches() || IPV6.matcher(s).matches())) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
