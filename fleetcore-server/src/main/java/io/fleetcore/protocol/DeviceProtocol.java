package io.fleetcore.protocol;

import io.fleetcore.model.DeviceEvent;
import io.fleetcore.model.DeviceRecord;
import io.netty.channel.ChannelHandler;
import java.util.List;
import java.util.Map;

/**
 * A protocol as the gateway route template uses it: pure code, bytes in, records and replies out. The gateway
 * (one route template for every protocol) calls it; it knows nothing of Camel, the store or the broker. Its
 * replies are computed from the frame's raw bytes alone, so the same answer is given whichever way the frame
 * became durable (committed, confirmed on a queue, or kept in rejected_frames).
 */
public interface DeviceProtocol {

    /** The protocol's name: the {@code protocol} column of its records and the {@code name} of its template instance. */
    String name();

    /**
     * The protocol its devices are admitted and registered under ({@code devices.protocol}); a second transport
     * of the same protocol (Teltonika over UDP) answers its TCP name, so a device may use either.
     */
    default String devicesProtocol() {
        return name();
    }

    /** A new frame decoder for one connection: it cuts the stream into frames and caps their size. */
    ChannelHandler newFrameDecoder();

    /**
     * Whether its frames arrive as datagrams on one shared channel (Teltonika over UDP): no connection to track,
     * time out or encrypt; the gateway gives it no per-connection handlers.
     */
    default boolean datagrams() {
        return false;
    }

    /** Whether a device must log in on its connection before its frames are taken (Teltonika, GT06) or not (json). */
    boolean loginRequired();

    /** One frame as the frame decoder passed it on: a login or the records it carries; bad input raises the reason. */
    DecodedFrame decode(Object frame) throws ProtocolException;

    /** The reply once the frame's content is durable; {@code null}: the protocol answers nothing (GT06 location). */
    byte[] ack(byte[] frame);

    /** The reply to a login frame; {@code null}: nothing, the connection is closed. */
    byte[] loginReply(byte[] frame, boolean admitted);

    /** The refusal of a frame that is never stored; {@code null}: the protocol has none (no reply, connection closed). */
    byte[] refusal();

    /** The device events one of its records raises (stored beside the record, in its transaction); none by default. */
    default List<DeviceEvent> events(DeviceRecord record) {
        return List.of();
    }

    /**
     * The named values of one of its records' raw {@code io} (id as text → value), as the view column
     * {@code io_named} of schema {@code api} gives them; none by default.
     */
    default Map<String, Object> nameIo(Map<String, Object> io) {
        return Map.of();
    }

    /**
     * The frame that sends text command {@code command} to a device on its connection (Teltonika: Codec 12);
     * {@code null}: the protocol takes no commands. Its device answers on the same connection, and its frame
     * decoder passes the answer on as a {@link io.fleetcore.model.DeviceResponse} user event.
     */
    default byte[] encodeCommand(String command) {
        return null;
    }
}
