package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.engine.RuleProblem.Kind;
import cn.urbanmgmt.risk.grading.engine.RuleProblem.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.EntryPointId;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.RuleConditionElement;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/** Checks Drools does not make: rule names used twice, and rules that can never fire against the fact model. */
final class RuleChecks {

    private static final Pattern INSERT_NEW = Pattern.compile("insert(?:Logical)?\\s*\\(\\s*new\\s+([\\w.$]+)\\s*\\(");

    private RuleChecks() {
    }

    /**
     * Reasons show a rule by its bare name, so a name must be unique in the whole rule set. Drools
     * itself refuses a repeated name within one package (an error); across packages we warn.
     */
    static List<RuleProblem> duplicateNames(DrlIndex index) {
        Map<String, List<DrlIndex.RuleBlock>> byName = new LinkedHashMap<>();
        for (DrlIndex.RuleBlock r : index.rules()) byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        List<RuleProblem> out = new ArrayList<>();
        byName.forEach((name, blocks) -> {
            for (int i = 1; i < blocks.size(); i++) {
                DrlIndex.RuleBlock first = blocks.get(0);
                DrlIndex.RuleBlock dup = blocks.get(i);
                boolean samePackage = Objects.equals(first.pkg(), dup.pkg());
                String message = "规则名“" + name + "”重复：" + first.file() + " 第 " + first.line() + " 行已有同名规则。"
                        + (samePackage ? "同一 package 中规则名必须唯一，请改名" : "原因中只显示规则名，同名会让人分不清是哪条规则，请改名");
                out.add(new RuleProblem(samePackage ? Level.ERROR : Level.WARNING, Kind.DUPLICATE_RULE, dup.file(), dup.line(), 1, name,
                        message, null));
            }
        });
        return out;
    }

    /** Rules whose conditions need a fact of a type the service never inserts (and no rule inserts). */
    static List<RuleProblem> neverFiring(KieBase base, DrlIndex index, RuleFacts facts) {
        Set<String> insertedByRules = new HashSet<>();
        for (DrlIndex.RuleBlock r : index.rules()) {
            Matcher m = INSERT_NEW.matcher(r.text());
            while (m.find()) insertedByRules.add(simpleName(m.group(1)));
        }
        List<RuleProblem> out = new ArrayList<>();
        for (KiePackage p : base.getKiePackages()) {
            for (Rule rule : p.getRules()) {
                if (!(rule instanceof RuleImpl impl)) continue;
                List<Class<?>> missing = new ArrayList<>();
                if (canMatch(impl.getLhs(), facts.inserted(), insertedByRules, missing, false)) continue;
                String type = missing.isEmpty() ? "?" : missing.get(0).getSimpleName();
                DrlIndex.RuleBlock block = index.rulesNamed(rule.getName()).stream().filter(b -> Objects.equals(b.pkg(), p.getName()))
                        .findFirst().orElse(null);
                DrlIndex.Location at = null;
                if (block != null) {
                    at = index.find(block.file(), block.conditionsFrom(), block.thenLine() > 0 ? block.thenLine() : block.endLine(),
                            Pattern.compile("(?<![\\w$.])(" + Pattern.quote(type) + ")\\s*\\("));
                    if (at == null) at = new DrlIndex.Location(block.file(), block.line(), 1);
                }
                out.add(new RuleProblem(Level.WARNING, Kind.NEVER_FIRES, at == null ? null : at.file(), at == null ? null : at.line(),
                        at == null ? null : at.column(), rule.getName(),
                        "这条规则永远不会触发：服务不会把“" + type + "”作为事实放入规则引擎（能直接匹配的事实：" + String.join("、", facts.names())
                                + "）。如果它是某个事实的一部分，请用 from 取出，例如 Deduction(...) from $i.deductions", null));
            }
        }
        return out;
    }

    private static boolean canMatch(RuleConditionElement e, List<Class<?>> inserted, Set<String> insertedByRules, List<Class<?>> missing,
                                    boolean negated) {
        if (e instanceof org.drools.base.rule.Pattern p) {
            if (p.getSource() != null && !(p.getSource() instanceof EntryPointId)) return true;
            if (!(p.getObjectType() instanceof ClassObjectType cot)) return true;
            Class<?> type = cot.getClassType();
            if (type == null || insertedByRules.contains(type.getSimpleName())) return true;
            for (Class<?> c : inserted) {
                if (type.isAssignableFrom(c)) return true;
            }
            if (!negated) missing.add(type);
            return false;
        }
        if (e instanceof GroupElement g) {
            if (g.isNot()) {
                g.getChildren().forEach(c -> canMatch(c, inserted, insertedByRules, missing, true));
                return true;
            }
            if (g.isOr()) {
                boolean any = false;
                for (RuleConditionElement c : g.getChildren()) any |= canMatch(c, inserted, insertedByRules, missing, negated);
                return any;
            }
            boolean all = true;
            for (RuleConditionElement c : g.getChildren()) all &= canMatch(c, inserted, insertedByRules, missing, negated);
            return all;
        }
        return true;
    }

    private static String simpleName(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
