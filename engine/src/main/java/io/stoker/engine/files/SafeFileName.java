package io.stoker.engine.files;

/** Turns run keys and task names ({@code test[jdk=17,db=h2]}) into names safe for one path segment. */
public final class SafeFileName {
    private SafeFileName() {
    }

    /** Keeps letters, digits and {@code . _ - [ ] = , +}; everything else becomes {@code _}; never starts with a dot. */
    public static String of(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ".-_[]=,+".indexOf(c) >= 0;
            b.append(keep ? c : '_');
        }
        if (b.isEmpty() || b.charAt(0) == '.') b.insert(0, '_');
        return b.toString();
    }
}
