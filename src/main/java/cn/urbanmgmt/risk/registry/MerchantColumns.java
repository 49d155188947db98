package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.tabular.TabularFile.Column;
import java.util.List;

/**
 * The columns of a merchant file: zh-CN header (used by exports, and accepted on import) and the
 * API field name (also accepted on import). One definition serves import and export.
 */
public enum MerchantColumns implements Column {
    USCC("统一社会信用代码", "uscc"),
    NAME("名称", "name"),
    ADDRESS("地址", "address"),
    STREET("街镇", "street"),
    CATEGORY("行业类别", "category"),
    KEY_UNIT("重点单位", "keyUnit"),
    KEY_UNIT_TYPE("重点单位类型", "keyUnitType"),
    STATUS("经营状态", "status"),
    OPENED_ON("开业日期", "openedOn"),
    CONTACT_NAME("联系人", "contactName"),
    CONTACT_PHONE("联系电话", "contactPhone"),
    LONGITUDE("经度", "longitude"),
    LATITUDE("纬度", "latitude");

    public final String header;
    public final String field;

    MerchantColumns(String header, String field) {
        this.header = header;
        this.field = field;
    }

    @Override
    public String header() {
        return header;
    }

    @Override
    public String field() {
        return field;
    }

    public static List<String> headers() {
        return Column.headers(MerchantColumns.class);
    }

    /** Field name -> zh-CN header, for messages and reports that name a field. */
    public static java.util.Map<String, String> labels() {
        return Column.labels(MerchantColumns.class);
    }

    /** The values of one merchant in column order, labels in zh-CN. */
    public static List<Object> values(Merchant m, ReferenceData refs) {
        return java.util.Arrays.asList(m.uscc, m.name, m.address, refs.streetName(m.streetCode), m.category.label(),
                m.keyUnit ? "是" : "否", m.keyUnitType == null ? null : m.keyUnitType.label(), m.status.label(),
                m.openedOn, m.contactName, m.contactPhone,
                m.longitude == null ? null : m.longitude.toPlainString(),
                m.latitude == null ? null : m.latitude.toPlainString());
    }
}
