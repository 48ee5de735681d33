package io.fleetcore.gateway;

import io.fleetcore.check.Alert;
import io.fleetcore.check.AlertPublisher;
import io.fleetcore.metrics.FleetcoreMetrics;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.protocol.UnstorableContentException;
import io.fleetcore.store.RejectedFrames;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step {@code keep-unstorable-frame}. A protocol with a refusal (json) refuses such a frame: it is recorded
 * like any refused frame ({@link RejectFrameProcessor}). For protocols without one (Teltonika, GT06) an intact frame whose
 * content can never be stored ({@link UnstorableContentException}) is committed with its raw bytes to
 * rejected_frames, counted ({@code fleetcore_frames_kept_total}) and alerted; then {@link ExchangeNames#FRAME_KEPT} is set
 * and the route ACKs it, because a resend could never succeed and would block the device's queue forever.
 * When the row cannot be committed the property stays unset: no ACK, the device sends the frame again.
 */
public final class KeepUnstorableFrameProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(KeepUnstorableFrameProcessor.class);

    private final Protocols protocols;
    private final RejectFrameProcessor refusals;
    private final RejectedFrames rejectedFrames;
    private final FleetcoreMetrics metrics;
    private final AlertPublisher alerts;

    public KeepUnstorableFrameProcessor(Protocols protocols, RejectFrameProcessor refusals, RejectedFrames rejectedFrames,
            FleetcoreMetrics metrics, AlertPublisher alerts) {
        this.protocols = protocols;
        this.refusals = refusals;
        this.rejectedFrames = rejectedFrames;
        this.metrics = metrics;
        this.alerts = alerts;
    }

    @Override
    public void process(Exchange exchange) {
        if (protocols.of(exchange).refusal() != null) {
            refusals.process(exchange);
            return;
        }
        UnstorableContentException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, UnstorableContentException.class);
        String reason = refused == null ? "unstorable-content" : refused.reason();
        String detail = refused == null ? null : refused.detail();
        String device = exchange.getMessage().getHeader(ExchangeNames.DEVICE, String.class);
        if (device == null && refused != null) {
            device = refused.deviceUid();
        }
        String protocol = Objects.toString(exchange.getProperty(ExchangeNames.PROTOCOL), "unknown");
        String remote = Objects.toString(exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS), null);
        try {
            rejectedFrames.keep(protocol, device, remote, reason, detail, exchange.getProperty(ExchangeNames.FRAME, byte[].class));
        } catch (Exception e) {
            LOG.warn("[{} {}] device {}: unstorable frame could not be kept ({}); no ACK, the device sends it again",
                    remote, protocol, device, e.getMessage());
            return;
        }
        metrics.frameRejected(protocol, reason);
        metrics.frameKept(protocol, reason);
        alerts.publish(Alert.frameKept(protocol, device, reason, detail));
        exchange.setProperty(ExchangeNames.FRAME_KEPT, true);
    }
}
