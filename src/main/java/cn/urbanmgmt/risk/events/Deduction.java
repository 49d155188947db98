package cn.urbanmgmt.risk.events;

/** One per-item deduction of an inspection (扣分项): a code from the item list and its points. */
public record Deduction(String code, double points) {
}
