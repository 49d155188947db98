package cn.urbanmgmt.risk.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The zh-CN name of each event field, for messages, forms and error reports that would otherwise show the API's field name. */
public final class EventFields {

    /** Field name -> zh-CN name; longer names first, so that one is never replaced inside another. */
    public static final Map<String, String> LABELS;

    static {
        String[] kv = {"supersedesSourceId", "被更正的事件", "supersedesId", "被更正的事件", "merchantId", "商户", "uscc", "统一社会信用代码",
                "type", "事件类型", "sourceId", "来源编号", "source", "来源系统", "occurredAt", "发生时间", "caseNo", "案件编号",
                "violationType", "违法类型", "severity", "情节", "fineYuan", "罚款金额（元）", "fromComplaint", "由投诉引发",
                "closedOn", "结案日期", "channel", "投诉渠道", "complaintCategory", "投诉类别", "verified", "是否属实",
                "linkedCaseNo", "关联案件编号", "itemCode", "检查事项代码", "outcome", "检查结果", "score", "检查得分",
                "deductions", "扣分项", "inspectors", "检查人员", "creditAction", "信用记录", "detectionSource", "发现来源",
                "detectionType", "发现类型", "evidenceRef", "证据编号", "note", "备注"};
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        LABELS = Collections.unmodifiableMap(m);
    }

    private EventFields() {
    }
}
