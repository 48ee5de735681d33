package io.fleetcore.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.camel.component.sql.DefaultRowMapperFactory;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.RowMapper;

/**
 * Row mapper of the page queries (endpoint option {@code rowMapperFactory=#pageRows}): each row as camel-sql's
 * column map, except its {@code doc} (the row's JSON text, made by PostgreSQL), which stays the UTF-8 bytes the
 * driver received instead of being decoded into a String that {@link WritePage} would encode again. A page of
 * positions is over a megabyte of such text.
 */
public final class PageRows extends DefaultRowMapperFactory {

    @Override
    public RowMapper<?> newColumnRowMapper() {
        return new ColumnMapRowMapper() {
            @Override
            protected Object getColumnValue(ResultSet rs, int index) throws SQLException {
                return WritePage.DOC.equals(rs.getMetaData().getColumnLabel(index)) ? rs.getBytes(index) : super.getColumnValue(rs, index);
            }
        };
    }
}
