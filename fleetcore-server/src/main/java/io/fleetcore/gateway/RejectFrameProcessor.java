package io.fleetcore.gateway;

import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.store.RejectedFrames;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/**
 * Route step {@code record-rejection}: a frame was refused; keep it (hex, reason, remote address) and count
 * it against the device. The route then answers with the protocol's refusal. The same frame refused again
 * for the same device and reason within {@code repeatWindow} is only counted (metric
 * {@code fleetcore_frames_rejected_total}), not stored again, so a device resending one bad frame cannot
 * fill the table; the last {@code rememberedFrames} distinct rejections are remembered for this.
 */
public final class RejectFrameProcessor implements Processor {

    private final RejectedFrames rejectedFrames;
    private final FleetcoreMetrics metrics;
    private final long repeatWindowNanos;
    private final Map<String, Long> recentlyStored;

    public RejectFrameProcessor(RejectedFrames rejectedFrames, FleetcoreMetrics metrics, Duration repeatWindow, int rememberedFrames) {
        this.rejectedFrames = rejectedFrames;
        this.metrics = metrics;
        this.repeatWindowNanos = repeatWindow.toNanos();
        this.recentlyStored = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > rememberedFrames;
            }
        });
    }

    @Override
    public void process(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "invalid-frame";
        String detail = caught == null ? null : caught.getMessage();
        String device = exchange.getMessage().getHeader(ExchangeNames.DEVICE, String.class);
        if (caught instanceof ProtocolException pe) {
            reason = pe.reason();
            detail = pe.detail();
            device = device != null ? device : pe.deviceUid();
        }
        byte[] frame = exchange.getProperty(ExchangeNames.FRAME, byte[].class);
        if (frame == null) {
            frame = exchange.getMessage().getBody(byte[].class);
        }
        String protocol = Objects.toString(exchange.getProperty(ExchangeNames.PROTOCOL), "unknown");
        String remote = Objects.toString(exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), null);
        metrics.frameRejected(protocol, reason);
        if (firstInWindow(protocol + '|' + device + '|' + reason + '|' + digest(frame))) {
            rejectedFrames.record(protocol, device, remote, reason, detail, frame);
        }
    }

    private static String digest(byte[] frame) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(frame == null ? new byte[0] : frame));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private boolean firstInWindow(String key) {
        long now = System.nanoTime();
        synchronized (recentlyStored) {
            Long stored = recentlyStored.get(key);
            if (stored != null && now - stored < repeatWindowNanos) {
                return false;
            }
            recentlyStored.put(key, now);
            return true;
        }
    }
}
