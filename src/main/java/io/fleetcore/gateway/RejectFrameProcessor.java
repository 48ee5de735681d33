package io.fleetcore.gateway;

import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.protocol.ProtocolException;
import io.fleetcore.store.RejectedFrames;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/**
 * Route step {@code record-rejection}: a frame was refused by its decoder; keep it (hex, reason, remote
 * address) and count it against the device. The route then answers with the protocol's refusal.
 */
public final class RejectFrameProcessor implements Processor {

    private final RejectedFrames rejectedFrames;
    private final FleetcoreMetrics metrics;

    public RejectFrameProcessor(RejectedFrames rejectedFrames, FleetcoreMetrics metrics) {
        this.rejectedFrames = rejectedFrames;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "invalid-frame";
        String detail = caught == null ? null : caught.getMessage();
        String device = exchange.getMessage().getHeader(Frames.DEVICE, String.class);
        if (caught instanceof ProtocolException pe) {
            reason = pe.reason();
            detail = pe.detail();
            device = device != null ? device : pe.deviceUid();
        }
        byte[] frame = exchange.getProperty(Frames.RAW, byte[].class);
        if (frame == null) {
            frame = exchange.getMessage().getBody(byte[].class);
        }
        String protocol = Objects.toString(exchange.getProperty(Frames.PROTOCOL), "unknown");
        String remote = Objects.toString(exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), null);
        metrics.frameRejected(protocol, reason);
        rejectedFrames.record(protocol, device, remote, reason, detail, frame);
    }
}
