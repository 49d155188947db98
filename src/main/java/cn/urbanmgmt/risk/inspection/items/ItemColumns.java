package cn.urbanmgmt.risk.inspection.items;

import cn.urbanmgmt.risk.common.tabular.TabularFile.Column;
import cn.urbanmgmt.risk.inspection.TabularLists;
import java.util.Arrays;
import java.util.List;

/** Columns of an item file: zh-CN header (exports; accepted on import) and API field name (also accepted). */
public enum ItemColumns implements Column {
    EDITION("年度版本", "edition"),
    CODE("事项代码", "code"),
    NAME("事项名称", "name"),
    LEGAL_BASIS("法律依据", "legalBasis"),
    CATEGORIES("适用行业", "categories"),
    KEY_UNIT_TYPES("适用重点单位类型", "keyUnitTypes"),
    MODE("检查方式", "mode"),
    SAMPLING_POLICY("抽查政策", "samplingPolicy"),
    DESCRIPTION("说明", "description"),
    ACTIVE("启用", "active"),
    /** One check point a line: 代码：内容：最高扣分 (optional column: files without it keep the items' checklists). */
    CHECKLIST("检查要点", "checklist");

    public final String header;
    public final String field;

    ItemColumns(String header, String field) {
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
        return Column.headers(ItemColumns.class);
    }

    public static List<Object> values(InspectionItem i) {
        return Arrays.asList(i.edition, i.code, i.name, i.legalBasis, TabularLists.join(i.categories), TabularLists.join(i.keyUnitTypes),
                i.mode.label(), i.samplingPolicy, i.description, i.active ? "是" : "否",
                CheckPoint.format(i.checklist));
    }
}
