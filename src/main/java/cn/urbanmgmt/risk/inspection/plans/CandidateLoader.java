package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Loads a plan's candidates: reads them in merchant-id ranges at once (each with {@link CandidateReader}, the
 * JDBC row reader, on its own connection), hands each batch to the workers, and groups the evaluated facts
 * into strata, refusing a plan with an item that has nothing to draw.
 */
@ApplicationScoped
public class CandidateLoader {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    cn.urbanmgmt.risk.common.WorkerPools pools;

    /** Merchant id ranges read at the same time, each on its own connection. */
    private static final int READ_PARTS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /**
     * Reads the candidates in {@link #READ_PARTS} merchant-id ranges at once: with one cursor PostgreSQL
     * waits while the service decodes each fetched block and the other way round; with two they overlap.
     * Returns the candidates in id order and adds each batch's work, started by {@code process}, to
     * {@code batches} in the same order (rows numbered across all parts).
     */
    CandidateReader.Candidates readCandidates(PlanSpec spec, LocalDate today,
                                               java.util.function.Function<CandidateReader.Batch, CompletableFuture<BatchResult>> process,
                                               List<CompletableFuture<BatchResult>> batches) {
        long[] range = idRange();
        int parts = range == null || range[1] - range[0] < READ_PARTS ? 1 : READ_PARTS;
        List<CompletableFuture<CandidateReader.Candidates>> reads = new ArrayList<>(parts);
        List<List<CompletableFuture<BatchResult>>> partBatches = new ArrayList<>(parts);
        for (int k = 0; k < parts; k++) {
            long from = range == null ? 0 : range[0] + (range[1] - range[0] + 1) * k / parts;
            long to = range == null ? Long.MAX_VALUE : range[0] + (range[1] - range[0] + 1) * (k + 1) / parts - 1;
            List<CompletableFuture<BatchResult>> own = new ArrayList<>();
            partBatches.add(own);
            reads.add(CompletableFuture.supplyAsync(() -> {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false); // a cursor, so a million rows stream instead of landing in memory at once
                    try {
                        return CandidateReader.read(c, spec, today, from, to, batch -> own.add(process.apply(batch)));
                    } finally {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("reading plan candidates failed: " + e.getMessage(), e);
                }
            }, pools.blocking()));
        }
        List<CandidateReader.Candidates> read = new ArrayList<>(parts);
        try {
            for (CompletableFuture<CandidateReader.Candidates> f : reads) read.add(join(f));
        } catch (RuntimeException e) {
            partBatches.forEach(list -> list.forEach(f -> f.cancel(true)));
            throw e;
        }
        int offset = 0;
        for (int k = 0; k < parts; k++) {
            int rowOffset = offset;
            for (CompletableFuture<BatchResult> f : partBatches.get(k)) {
                batches.add(rowOffset == 0 ? f : f.thenApply(r -> {
                    for (int i = 0; i < r.factRows().length; i++) r.factRows()[i] += rowOffset;
                    return r;
                }));
            }
            offset += read.get(k).ids().length;
        }
        return concat(read);
    }

    /** Lowest and highest merchant id, or null when there are no merchants. */
    private long[] idRange() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select min(id), max(id) from merchant");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? null : new long[]{min, rs.getLong(2)};
        } catch (SQLException e) {
            throw new IllegalStateException("reading plan candidates failed: " + e.getMessage(), e);
        }
    }

    private static CandidateReader.Candidates concat(List<CandidateReader.Candidates> parts) {
        if (parts.size() == 1) return parts.get(0);
        int n = parts.stream().mapToInt(p -> p.ids().length).sum();
        String[] usccs = new String[n];
        long[] ids = new long[n];
        String[] streets = new String[n];
        String[] contacts = new String[n];
        int at = 0;
        for (CandidateReader.Candidates p : parts) {
            int len = p.ids().length;
            System.arraycopy(p.usccs(), 0, usccs, at, len);
            System.arraycopy(p.ids(), 0, ids, at, len);
            System.arraycopy(p.streets(), 0, streets, at, len);
            System.arraycopy(p.contacts(), 0, contacts, at, len);
            at += len;
        }
        return new CandidateReader.Candidates(usccs, ids, streets, contacts);
    }

    /** What a worker made of one batch: each fact's row and stratum number, and the batch's ranking keys. */
    record BatchResult(int[] factRows, int[] strata, long[] keys) {
    }

    /** Members per stratum, in row (merchant id) order; refuses a plan with an item that has nothing to draw. */
    static CandidateList candidateList(PlanSpec spec, CandidateReader.Candidates cands, StrataRegistry registry,
                                       List<BatchResult> results) {
        int n = registry.size();
        int[] sizes = new int[n];
        for (BatchResult r : results) for (int s : r.strata()) sizes[s]++;
        int[][] members = new int[n][];
        for (int s = 0; s < n; s++) members[s] = new int[sizes[s]];
        int[] fill = new int[n];
        for (BatchResult r : results) {
            for (int f = 0; f < r.strata().length; f++) members[r.strata()[f]][fill[r.strata()[f]]++] = r.factRows()[f];
        }
        List<Draw.Stratum> strata = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            StrataRegistry.Meta m = registry.meta(s);
            strata.add(new Draw.Stratum(m.item(), m.name(), m.basisPoints(), m.weekly(), members[s]));
        }
        List<FieldError> errors = new ArrayList<>();
        for (PlanSpec.ItemSnapshot item : spec.items()) {
            int drawable = 0;
            int total = 0;
            Map<String, Integer> reasons = new TreeMap<>();
            for (Draw.Stratum s : strata) {
                if (!s.itemCode().equals(item.code())) continue;
                total += s.members().length;
                if (s.name().startsWith(CandidateList.EXCLUDED_PREFIX)) {
                    reasons.put(s.name().substring(CandidateList.EXCLUDED_PREFIX.length()), s.members().length);
                } else {
                    drawable += s.members().length;
                }
            }
            if (drawable == 0) {
                String why = total == 0 ? "范围内没有适用该事项的商户（该事项适用于：" + applicability(item) + "）"
                        : "范围内适用该事项的 " + total + " 户均被排除（" + reasons.entrySet().stream()
                        .map(r -> r.getKey() + " " + r.getValue() + " 户").collect(Collectors.joining("、")) + "）";
                errors.add(new FieldError(null, "items", item.code(), "事项 " + item.code() + "（" + item.name() + "）没有可抽查的对象：" + why));
            }
        }
        if (!errors.isEmpty()) {
            throw PlanRequests.unmeetable("有抽查事项在所选范围内没有可抽查的对象，计划未生成；请调整事项或范围", errors);
        }
        return new CandidateList(cands.usccs(), strata);
    }

    private static String applicability(PlanSpec.ItemSnapshot item) {
        if (item.categories().isEmpty() && item.keyUnitTypes().isEmpty()) return "全部商户";
        List<String> parts = new ArrayList<>();
        item.categories().forEach(c -> parts.add(c.label()));
        item.keyUnitTypes().forEach(k -> parts.add(k.label()));
        return String.join("、", parts);
    }

    /** The same candidates with other proportions for the strata named (by "item:stratum" or by stratum for every item). */
    static CandidateList withPercents(CandidateList list, Map<String, Integer> percents) {
        List<Draw.Stratum> strata = new ArrayList<>();
        for (Draw.Stratum s : list.strata()) {
            Integer bp = percents.getOrDefault(s.itemCode() + ":" + s.name(), percents.get(s.name()));
            strata.add(bp == null || s.name().startsWith(CandidateList.EXCLUDED_PREFIX) ? s
                    : new Draw.Stratum(s.itemCode(), s.name(), bp, s.weekly(), s.members()));
        }
        return new CandidateList(list.ids(), strata);
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }
}
