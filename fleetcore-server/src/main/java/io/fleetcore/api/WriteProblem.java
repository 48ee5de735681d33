package io.fleetcore.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step {@code write-problem} of the API's error handling: the caught exception as a problem document
 * ({@code application/problem+json}) with its status. A refused request says what was wrong; anything else
 * is a 500 whose detail is a generic sentence (the exception goes to the log, never to the client).
 */
public final class WriteProblem implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WriteProblem.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiProblem problem = caught instanceof ApiProblem p ? p : null;
        if (problem == null) {
            LOG.warn("API {} {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), caught == null ? "unknown" : caught.toString());
            problem = new ApiProblem(500, "internal-error", "Internal error",
                    "the request could not be answered; the server log has the reason");
        }
        ObjectNode doc = JSON.createObjectNode()
                .put("type", "/api/v1/problems/" + problem.type())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.detail());
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        out.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        out.setBody(JSON.writeValueAsString(doc));
    }
}
