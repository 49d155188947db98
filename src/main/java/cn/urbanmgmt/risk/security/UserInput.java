package cn.urbanmgmt.risk.security;

import java.util.List;

/**
 * A new account, or the new roles/squad/name of an existing one. {@code roles}: codes or zh-CN
 * labels (ADMIN 系统管理员, PLANNER 抽查计划员, RULE_AUTHOR 规则编写员, SQUAD 执法队员, REVIEWER 法制审核,
 * CREDIT 信用管理); a SQUAD user needs {@code squad}. {@code password}: optional on create (a
 * temporary one is generated and must be changed at first use).
 */
public record UserInput(String username, String displayName, String badgeNo, List<String> roles, String squad, String password) {
}
