package io.stoker.dsl.draft;

import io.stoker.model.Pos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@code notify { … }} block as written; every value keeps where it was written. */
public final class NotifyDraft {
    public Pos pos = Pos.NONE;
    public final List<Located<String>> on = new ArrayList<>();
    public final List<Located<String>> email = new ArrayList<>();
    public final List<Located<String>> ntfy = new ArrayList<>();
    public final List<Located<String>> slack = new ArrayList<>();
    public final List<Located<String>> statusWebhooks = new ArrayList<>();
    /** The signed ones of {@link #statusWebhooks}, each with the secret name its {@code secret:} gave. */
    public final Map<Located<String>, Located<String>> statusSecrets = new LinkedHashMap<>();
    public final List<Located<String>> logWebhooks = new ArrayList<>();
}
