package io.fleetcore.api;

import io.fleetcore.model.ExchangeNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step {@code read-device-csv} of {@code POST /devices/import}: a CSV body whose first line is the
 * header {@code device_id[,protocol[,enabled]]}, one device per line after it. Every line is validated
 * before anything is written (one bad line refuses the whole file, naming the line); the rows become
 * PostgreSQL array literals in headers {@link ExchangeNames#API_IMPORT_IDS}, {@link ExchangeNames#API_IMPORT_PROTOCOLS},
 * {@link ExchangeNames#API_IMPORT_ENABLED} for one {@code INSERT ... SELECT unnest(...)} (device ids and protocols are
 * restricted to characters that need no quoting).
 */
public final class ReadDeviceCsv implements Processor {

    private final int maxRows;

    public ReadDeviceCsv(int maxRows) {
        this.maxRows = maxRows;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String body = in.getBody(String.class);
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("the body must be CSV with a header line device_id[,protocol[,enabled]]");
        }
        String[] lines = body.replace("\r", "").split("\n");
        List<String> header = List.of(lines[0].trim().toLowerCase(Locale.ROOT).split("\\s*,\\s*", -1));
        if (!List.of("device_id", "protocol", "enabled").subList(0, Math.min(3, header.size())).equals(header)) {
            throw ApiProblem.badRequest("line 1 must be the header device_id, device_id,protocol or device_id,protocol,enabled");
        }
        List<String> ids = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        List<String> enabled = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1) + ": ";
            String[] cells = line.split("\\s*,\\s*", -1);
            if (cells.length != header.size()) {
                throw ApiProblem.badRequest(where + "expected " + header.size() + " values, found " + cells.length);
            }
            String id = prefixed(where, () -> ApiParameters.deviceId("device_id", cells[0]));
            if (!seen.add(id)) {
                throw ApiProblem.badRequest(where + "device_id '" + id + "' appears twice");
            }
            String protocol = cells.length > 1 ? prefixed(where, () -> ApiParameters.protocol("protocol", cells[1])) : null;
            String on = cells.length > 2 ? cells[2].toLowerCase(Locale.ROOT) : "true";
            if (!on.equals("true") && !on.equals("false") && !on.isEmpty()) {
                throw ApiProblem.badRequest(where + "enabled must be true or false");
            }
            ids.add(id);
            protocols.add(protocol == null ? "NULL" : protocol);
            enabled.add(on.equals("false") ? "false" : "true");
            if (ids.size() > maxRows) {
                throw ApiProblem.badRequest("at most " + maxRows + " devices per import");
            }
        }
        if (ids.isEmpty()) {
            throw ApiProblem.badRequest("no device after the header line");
        }
        in.setHeader(ExchangeNames.API_IMPORT_IDS, "{" + String.join(",", ids) + "}");
        in.setHeader(ExchangeNames.API_IMPORT_PROTOCOLS, "{" + String.join(",", protocols) + "}");
        in.setHeader(ExchangeNames.API_IMPORT_ENABLED, "{" + String.join(",", enabled) + "}");
        in.setHeader(ExchangeNames.API_IMPORT_ROWS, ids.size());
    }

    private static String prefixed(String where, java.util.function.Supplier<String> check) {
        try {
            return check.get();
        } catch (ApiProblem p) {
            throw ApiProblem.badRequest(where + p.detail());
        }
    }
}
