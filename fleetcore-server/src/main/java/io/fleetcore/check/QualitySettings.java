package io.fleetcore.check;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads table {@code quality_rules}; read on every run, so a change there needs no restart. */
public final class QualitySettings {

    private QualitySettings() {
    }

    public static Map<String, RuleSettings> load(Connection c) throws SQLException {
        Map<String, RuleSettings> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select code, description, enabled, limit_value, threshold, critical from quality_rules order by code")) {
            while (rs.next()) {
                Object limit = rs.getObject(4);
                out.put(rs.getString(1), new RuleSettings(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        limit == null ? null : ((Number) limit).doubleValue(), rs.getInt(5), rs.getBoolean(6)));
            }
        }
        return out;
    }
}
