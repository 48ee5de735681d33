package io.fleetcore.gateway;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one owner of a connection's Netty auto-read. Each handler that wants a connection to stop reading
 * pauses it for its own {@link Reason}; reading resumes only when no reason is left. So the store's relief
 * cannot undo the reply sequencer's pause (whose queue would then grow without bound), and nothing
 * undoes the shutdown drain's.
 */
public final class ReadGate {

    /** Why a connection does not read. */
    public enum Reason {
        /** too many frames (or bytes) of this connection wait for their reply */
        REPLIES_WAITING,
        /** the store's queue is full */
        STORE_FULL,
        /** fleetcore is shutting down: no new frames */
        SHUTDOWN
    }

    private static final AttributeKey<Set<Reason>> REASONS = AttributeKey.valueOf("fleetcoreReadPaused");

    private ReadGate() {
    }

    /** Stops reading for {@code reason}; true when this reason was not holding the connection yet. */
    public static boolean pause(Channel channel, Reason reason) {
        Set<Reason> reasons = reasons(channel);
        synchronized (reasons) {
            boolean added = reasons.add(reason);
            channel.config().setAutoRead(false);
            return added;
        }
    }

    /** Drops {@code reason}; reading resumes when it was the last one. */
    public static void resume(Channel channel, Reason reason) {
        Set<Reason> reasons = reasons(channel);
        synchronized (reasons) {
            if (reasons.remove(reason) && reasons.isEmpty()) {
                channel.config().setAutoRead(true);
            }
        }
    }

    public static boolean isPaused(Channel channel, Reason reason) {
        Set<Reason> reasons = reasons(channel);
        synchronized (reasons) {
            return reasons.contains(reason);
        }
    }

    private static Set<Reason> reasons(Channel channel) {
        Set<Reason> reasons = channel.attr(REASONS).get();
        if (reasons == null) {
            Set<Reason> fresh = EnumSet.noneOf(Reason.class);
            reasons = channel.attr(REASONS).setIfAbsent(fresh);
            if (reasons == null) {
                reasons = fresh;
            }
        }
        return reasons;
    }
}
