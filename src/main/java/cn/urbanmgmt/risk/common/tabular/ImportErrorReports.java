package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Full error reports of bulk imports, kept in PostgreSQL (so that any instance serves the download)
 * for {@value #KEEP_DAYS} days. Stored in a transaction of its own, so that an all-or-nothing import
 * that is rolled back still leaves its report. Read back streaming as CSV or XLSX.
 */
@ApplicationScoped
public class ImportErrorReports {

    public static final int KEEP_DAYS = 7;
    public static final String PATH = "/api/v1/import-error-reports/";

    @Inject
    AgroalDataSource dataSource;

    /** Stores the report's file (if it has errors) and returns where to download it, or null. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String store(ErrorReport report, String subject, Actor actor) {
        Path file = report.finish();
        if (file == null) return null;
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement old = c.prepareStatement("delete from import_error_report where created_at < now() - make_interval(days => ?)")) {
                old.setInt(1, KEEP_DAYS);
                old.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into import_error_report (id, created_by, subject, error_count, content) "
                    + "values (?, ?, ?, ?, ?)"); InputStream in = Files.newInputStream(file)) {
                ps.setObject(1, id);
                ps.setString(2, actor.username());
                ps.setString(3, subject);
                ps.setLong(4, report.count());
                ps.setBinaryStream(5, in, Files.size(file));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing the import error report failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PATH + id;
    }

    /** The report's subject (e.g. "merchants"), after checking that the caller may read it. */
    @Transactional
    public String check(String id, String username, boolean admin) {
        UUID uuid = parse(id);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select created_by, subject from import_error_report where id = ? "
                     + "and created_at >= now() - make_interval(days => ?)")) {
            ps.setObject(1, uuid);
            ps.setInt(2, KEEP_DAYS);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || (!admin && !rs.getString(1).equals(username))) {
                    throw ProblemException.notFound("错误报告 " + id + " 不存在或已过期（保留 " + KEEP_DAYS + " 天），或不是您导入时生成的");
                }
                return rs.getString(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streams the report to {@code out} as CSV (UTF-8 with BOM) or XLSX, reading it row by row. */
    @Transactional
    public void write(String id, String format, OutputStream out) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select content from import_error_report where id = ?")) {
            ps.setObject(1, parse(id));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
                try (InputStream gz = new GZIPInputStream(rs.getBinaryStream(1), 1 << 16)) {
                    if (!"xlsx".equals(format)) {
                        gz.transferTo(out);
                        out.flush();
                        return;
                    }
                    BufferedReader reader = new BufferedReader(new InputStreamReader(gz, StandardCharsets.UTF_8), 1 << 16);
                    if (reader.read() != '\uFEFF') throw new IllegalStateException("report without BOM");
                    try (CSVParser csv = CSVParser.parse(reader, CSVFormat.DEFAULT)) {
                        java.util.Iterator<CSVRecord> records = csv.iterator();
                        List<String> headers = records.hasNext() ? records.next().toList() : ErrorReport.HEADERS;
                        TabularWriter w = TabularWriter.open("xlsx", out, headers);
                        while (records.hasNext()) {
                            CSVRecord r = records.next();
                            List<Object> cells = new ArrayList<>(r.size());
                            for (int i = 0; i < r.size(); i++) {
                                String v = r.get(i);
                                cells.add(i == 0 && !v.isEmpty() ? (Object) Long.valueOf(v) : v);
                            }
                            w.row(cells);
                        }
                        w.close();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("错误报告 " + id + " 不存在");
        }
    }
}
