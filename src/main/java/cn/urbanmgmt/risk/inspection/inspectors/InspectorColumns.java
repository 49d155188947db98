package cn.urbanmgmt.risk.inspection.inspectors;

import cn.urbanmgmt.risk.common.tabular.TabularFile.Column;
import cn.urbanmgmt.risk.inspection.TabularLists;
import cn.urbanmgmt.risk.registry.ReferenceData;
import java.util.Arrays;
import java.util.List;

/** Columns of an inspector file: zh-CN header (exports; accepted on import) and API field name. */
public enum InspectorColumns implements Column {
    BADGE_NO("执法证号", "badgeNo"),
    NAME("姓名", "name"),
    SQUAD("所属中队", "squad"),
    ACTIVE("在岗", "active"),
    QUALIFIED_ITEMS("检查资格事项", "qualifiedItems"),
    CONFLICT_USCCS("回避商户", "conflictUsccs"),
    CONFLICT_PERSONS("回避人员", "conflictPersons");

    public final String header;
    public final String field;

    InspectorColumns(String header, String field) {
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
        return Column.headers(InspectorColumns.class);
    }

    public static List<Object> values(Inspector i, ReferenceData refs) {
        var squad = refs.squad(i.squadCode);
        return Arrays.asList(i.badgeNo, i.name, squad == null ? i.squadCode : squad.name, i.active ? "是" : "否",
                TabularLists.join(i.qualifiedItems), TabularLists.join(i.conflictUsccs), TabularLists.join(i.conflictPersons));
    }
}
