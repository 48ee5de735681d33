package io.fleetcore.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What a RabbitMQ queue's effective settings do to messages fleetcore already ACKed to a device: the answer of
 * the management API for one queue ({@code GET /api/queues/{vhost}/{name}}: {@code arguments},
 * {@code effective_policy_definition}, {@code policy}, {@code operator_policy}) in, the ways it can discard
 * messages out. Pure: no I/O.
 * <p>
 * Resolved the way RabbitMQ resolves them: {@code max-length}, {@code max-length-bytes}, {@code message-ttl}
 * and {@code expires} take the smaller of queue argument and policy; {@code overflow} takes the queue argument
 * over the policy, and is {@code drop-head} when neither sets it. Discarding settings:
 * <ul>
 *   <li>a length limit with overflow {@code drop-head}: a full queue drops its oldest messages (dead-lettered
 *       when the queue has a dead-letter exchange, which classic queues do without confirms). Overflow
 *       {@code reject-publish} or {@code reject-publish-dlx} is safe: the broker NACKs the publish, so the
 *       device gets no ACK and sends again;</li>
 *   <li>{@code message-ttl}: messages that waited longer are discarded (or dead-lettered);</li>
 *   <li>{@code expires}: the queue, with every message in it, is deleted once unused for that long (the parked
 *       queue has no consumer at all).</li>
 * </ul>
 */
public final class QueuePolicy {

    private QueuePolicy() {
    }

    /** Why this queue can discard messages; empty when it cannot. */
    public static List<String> drops(JsonNode queue) {
        JsonNode args = object(queue.path("arguments"));
        JsonNode policy = object(queue.path("effective_policy_definition"));
        String name = queue.path("name").asText("?");
        List<String> reasons = new ArrayList<>();

        OptionalLong length = smaller(args, "x-max-length", policy, "max-length");
        OptionalLong bytes = smaller(args, "x-max-length-bytes", policy, "max-length-bytes");
        String overflow = args.hasNonNull("x-overflow") ? args.get("x-overflow").asText()
                : policy.hasNonNull("overflow") ? policy.get("overflow").asText() : "drop-head";
        if ((length.isPresent() || bytes.isPresent()) && overflow.toLowerCase(Locale.ROOT).equals("drop-head")) {
            StringBuilder limit = new StringBuilder();
            length.ifPresent(n -> limit.append("max-length ").append(n));
            bytes.ifPresent(n -> limit.append(limit.isEmpty() ? "" : " and ").append("max-length-bytes ").append(n));
            reasons.add("queue " + name + ": " + limit + " with overflow drop-head (" + source(queue, args, "x-max-length", "x-max-length-bytes")
                    + "): when full, RabbitMQ discards the oldest messages" + deadLettered(args, policy)
                    + "; use overflow reject-publish to have publishes refused instead");
        }
        smaller(args, "x-message-ttl", policy, "message-ttl").ifPresent(ttl -> reasons.add("queue " + name + ": message-ttl " + ttl
                + " ms (" + source(queue, args, "x-message-ttl") + "): RabbitMQ discards messages that waited longer" + deadLettered(args, policy)));
        smaller(args, "x-expires", policy, "expires").ifPresent(ms -> reasons.add("queue " + name + ": expires " + ms
                + " ms (" + source(queue, args, "x-expires") + "): RabbitMQ deletes the queue and every message in it once unused that long"));
        return reasons;
    }

    /** RabbitMQ renders an empty table as {@code []}: anything but an object counts as empty. */
    private static JsonNode object(JsonNode node) {
        return node.isObject() ? node : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static OptionalLong smaller(JsonNode args, String argument, JsonNode policy, String key) {
        OptionalLong a = number(args.get(argument));
        OptionalLong p = number(policy.get(key));
        if (a.isPresent() && p.isPresent()) {
            return OptionalLong.of(Math.min(a.getAsLong(), p.getAsLong()));
        }
        return a.isPresent() ? a : p;
    }

    private static OptionalLong number(JsonNode n) {
        if (n == null || n.isNull()) {
            return OptionalLong.empty();
        }
        if (n.canConvertToLong()) {
            return OptionalLong.of(n.asLong());
        }
        try {
            return OptionalLong.of(Long.parseLong(n.asText().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** "policy NAME", "operator policy NAME", "queue argument x-…", whichever set it. */
    private static String source(JsonNode queue, JsonNode args, String... arguments) {
        List<String> from = new ArrayList<>();
        for (String a : arguments) {
            if (args.has(a)) {
                from.add("queue argument " + a);
            }
        }
        String policy = queue.path("policy").asText("");
        String operator = queue.path("operator_policy").asText("");
        if (!policy.isEmpty() && !policy.equals("null")) {
            from.add("policy " + policy);
        }
        if (!operator.isEmpty() && !operator.equals("null")) {
            from.add("operator policy " + operator);
        }
        return from.isEmpty() ? "no policy named" : String.join(", ", from);
    }

    private static String deadLettered(JsonNode args, JsonNode policy) {
        String dlx = args.hasNonNull("x-dead-letter-exchange") ? args.get("x-dead-letter-exchange").asText()
                : policy.hasNonNull("dead-letter-exchange") ? policy.get("dead-letter-exchange").asText() : null;
        return dlx == null ? "" : " (dead-lettered to exchange '" + dlx + "', without publisher confirms on classic queues)";
    }
}
