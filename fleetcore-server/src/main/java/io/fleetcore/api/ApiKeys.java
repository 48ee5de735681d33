package io.fleetcore.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The API keys of {@code FLEETCORE_API_KEYS}: comma-separated {@code name:key:role}, role {@code read} or
 * {@code admin}. Errors name the entry and its name, never a key; {@link #toString()} shows names only.
 */
public final class ApiKeys {

    public enum Role { READ, ADMIN }

    /** One configured key; the key itself is not exposed. */
    public record Client(String name, Role role) {
    }

    private record Entry(Client client, byte[] key) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys parse(String text) {
        List<Entry> entries = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new ApiKeys(entries);
        }
        String[] items = text.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            String[] parts = item.split(":", -1);
            String where = "FLEETCORE_API_KEYS entry " + (i + 1);
            if (parts.length != 3) {
                throw new IllegalStateException(where + " must be name:key:role (found " + parts.length + " parts)");
            }
            String name = parts[0].trim();
            String key = parts[1].trim();
            if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalStateException(where + ": the name must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (key.length() < 16) {
                throw new IllegalStateException(where + " ('" + name + "'): the key must have at least 16 characters");
            }
            Role role;
            try {
                role = Role.valueOf(parts[2].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + " ('" + name + "'): the role must be read or admin");
            }
            for (Entry e : entries) {
                if (e.client().name().equals(name)) {
                    throw new IllegalStateException(where + ": the name '" + name + "' is used twice");
                }
            }
            entries.add(new Entry(new Client(name, role), key.getBytes(StandardCharsets.UTF_8)));
        }
        return new ApiKeys(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The client whose key this is (compared in constant time), or empty. */
    public Optional<Client> find(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        Client found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.key(), given)) {
                found = e.client();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Without keys the API is open, which is only allowed on a loopback address: on any other bind host this
     * refuses to start.
     */
    public void requireKeysUnlessLoopback(String host) {
        if (isEmpty() && !isLoopback(host)) {
            throw new IllegalStateException("the API would listen on " + host + " (FLEETCORE_API_HOST) without any key:"
                    + " set FLEETCORE_API_KEYS (name:key:role,...) or bind it to 127.0.0.1");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ApiKeys" + entries.stream().map(e -> e.client().name() + ":" + e.client().role()).toList();
    }
}
