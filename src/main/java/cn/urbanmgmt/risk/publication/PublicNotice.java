package cn.urbanmgmt.risk.publication;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A published plan notice (抽查计划公示): items, scope and counts. Before the period ends it names no
 * merchant and keeps the seed secret (only its SHA-256 commitment is shown); afterwards the seed is
 * revealed and the drawn list and candidate list can be downloaded to re-run the draw.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublicNotice(long id, String name, int edition, List<Item> items, Scope scope, LocalDate periodStart, LocalDate periodEnd,
                           String phase, int visits, int merchants, int inspectorsPerVisit, List<Stratum> strata, String seedCommitment,
                           Digests digests, OffsetDateTime publishedAt, Reveal afterPeriod) {

    public record Item(String code, String name, String legalBasis, String mode) {
    }

    public record Scope(List<String> streets, List<String> categories, boolean keyUnitsOnly, Integer targetedListSize) {
    }

    public record Stratum(String item, String stratum, String percent, boolean weekly, int candidates, int drawn) {
    }

    public record Digests(String candidates, String draw, String result) {
    }

    /** Only once the period has ended. */
    public record Reveal(String seed, String drawList, String candidateList, String method) {
    }
}
