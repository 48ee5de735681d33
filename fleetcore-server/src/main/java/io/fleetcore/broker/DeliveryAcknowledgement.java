package io.fleetcore.broker;

import com.rabbitmq.client.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Route steps {@code ack-delivery} / {@code requeue-delivery}: settles the consumed message on its channel
 * (manual acknowledgement). Ack only after the records were committed or re-published with a confirm;
 * requeue puts the message back for a later attempt.
 */
public final class DeliveryAcknowledgement implements Processor {

    private final boolean ack;

    private DeliveryAcknowledgement(boolean ack) {
        this.ack = ack;
    }

    public static DeliveryAcknowledgement ack() {
        return new DeliveryAcknowledgement(true);
    }

    public static DeliveryAcknowledgement requeue() {
        return new DeliveryAcknowledgement(false);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        Long tag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        if (channel == null || tag == null) {
            throw new IllegalStateException("no broker channel or delivery tag on exchange " + exchange.getExchangeId()
                    + ": this step belongs in a spring-rabbitmq consumer route with acknowledgeMode=MANUAL");
        }
        if (ack) {
            channel.basicAck(tag, false);
        } else {
            channel.basicNack(tag, false, true);
        }
    }
}
