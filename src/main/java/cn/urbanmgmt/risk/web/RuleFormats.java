package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.rules.RuleDiff;
import io.quarkus.qute.TemplateExtension;

/** Template helpers of the 规则管理 pages: zh-CN names of the rule-authoring codes. */
@TemplateExtension
public class RuleFormats {

    static String actionName(RuleAudit.Action action) {
        return switch (action) {
            case STARTUP -> "启动时读取";
            case RELOAD -> "重新读取";
            case UPLOAD -> "上传";
            case VALIDATE -> "校验";
            case TEST -> "运行测试场景";
            case SIMULATE -> "模拟";
            case ACTIVATE -> "启用";
            case ROLLBACK -> "回滚";
            case PROPOSE -> "提交法制审核";
            case APPROVE -> "法制审核批准";
            case RETURN -> "法制审核退回";
        };
    }

    static String outcomeName(RuleAudit.Outcome outcome) {
        return switch (outcome) {
            case OK -> "成功";
            case FAILED -> "未通过";
            case STARTED -> "已开始";
        };
    }

    static String levelName(RuleProblem.Level level) {
        return level == RuleProblem.Level.ERROR ? "错误" : "警告";
    }

    static String kindName(RuleProblem.Kind kind) {
        return switch (kind) {
            case SYNTAX -> "语法错误";
            case UNKNOWN_FIELD -> "字段不存在";
            case UNKNOWN_TYPE -> "类型不存在";
            case CONSEQUENCE -> "then 部分有误";
            case CONDITION -> "条件无法解析";
            case DUPLICATE_RULE -> "规则重名";
            case NEVER_FIRES -> "永远不会触发";
            case LOOP -> "疑似死循环";
            case TIMEOUT -> "运行过久";
            case RUNTIME -> "运行出错";
            case NO_THRESHOLDS -> "没有分数线";
            case EMPTY -> "没有规则";
            case SCENARIO -> "测试场景";
            case STRATUM_CONFLICT -> "分层冲突";
            case SANDBOX -> "不允许的代码";
            case OTHER -> "其他";
        };
    }

    static String diffStatusName(RuleDiff.Status status) {
        return switch (status) {
            case ADDED -> "新增";
            case REMOVED -> "删除";
            case CHANGED -> "修改";
            case UNCHANGED -> "未变";
        };
    }

    /** Where a version came from: DISK (rules/ on the server) or UPLOAD. */
    static String originName(String source) {
        if (source == null) return "";
        return switch (source) {
            case "DISK" -> "服务器上的 rules/ 目录";
            case "UPLOAD" -> "上传或在线编辑";
            default -> source;
        };
    }
}
