package cn.urbanmgmt.risk.registry;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A merchant as the API shows it: codes plus their zh-CN labels. */
public record MerchantView(
        Long id, String uscc, String name, String address,
        String street, String streetName,
        MerchantCategory category, String categoryName,
        boolean keyUnit, KeyUnitType keyUnitType, String keyUnitTypeName,
        MerchantStatus status, String statusName,
        LocalDate openedOn, String contactName, String contactPhone,
        BigDecimal longitude, BigDecimal latitude,
        int version, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        String grade, Integer score) {

    /** A merchant's current grade and score, when it has been graded. */
    public record GradeBadge(String grade, int score) {
    }

    public static MerchantView of(Merchant m, ReferenceData refs) {
        return of(m, refs, null);
    }

    public static MerchantView of(Merchant m, ReferenceData refs, GradeBadge badge) {
        return new MerchantView(m.id, m.uscc, m.name, m.address, m.streetCode, refs.streetName(m.streetCode),
                m.category, m.category.label(), m.keyUnit, m.keyUnitType,
                m.keyUnitType == null ? null : m.keyUnitType.label(), m.status, m.status.label(),
                m.openedOn, m.contactName, m.contactPhone, m.longitude, m.latitude, m.version,
                m.createdAt, m.updatedAt, badge == null ? null : badge.grade(), badge == null ? null : badge.score());
    }
}
