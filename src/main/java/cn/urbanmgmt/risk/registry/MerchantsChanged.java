package cn.urbanmgmt.risk.registry;

import java.util.List;

/** Fired (CDI event) when merchants were created or changed, so their grades can follow. */
public record MerchantsChanged(List<Long> merchantIds, String cause) {
}
