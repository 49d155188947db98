package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.Evaluation;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What rule code may use: the ONE place that says it (rules/README.md section 10 lists it for rule
 * authors). {@link DrlSandbox} checks every type, method, field and constructor a rule file names
 * against this list before anything is compiled; whatever is not here is refused.
 *
 * <ul>
 *   <li>the fact model of the rule-set kind, including its recording API ({@code assessment},
 *       the sampling candidate) and the code tables (enums) its fields use;</li>
 *   <li>plain values: {@code String}, boxed numbers, {@code BigDecimal}/{@code BigInteger},
 *       {@code Math}, {@code java.time} dates and periods;</li>
 *   <li>read-only use of {@code java.util} collections (size, contains, get, iterate).</li>
 * </ul>
 *
 * A method of an allowed type is usable when everything it takes and returns is allowed too (so
 * {@code getClass()}, which returns a {@code Class}, is not) and it is not one of {@link #DENIED}.
 */
public final class RuleAllowList {

    /** Plain values every kind may use. */
    static final Set<Class<?>> VALUES = Set.of(
            Object.class, String.class, CharSequence.class, Comparable.class, Number.class,
            Integer.class, Long.class, Short.class, Byte.class, Double.class, Float.class, Boolean.class, Character.class,
            BigDecimal.class, BigInteger.class, Math.class,
            LocalDate.class, LocalDateTime.class, LocalTime.class, Duration.class, Period.class, DayOfWeek.class, Month.class,
            Year.class, YearMonth.class, ChronoUnit.class);

    /** Collections rules may read (a collection fact field, a collect result): only {@link #COLLECTION_READS}. */
    static final Set<Class<?>> COLLECTIONS = Set.of(Collection.class, List.class, Set.class, Map.class, Map.Entry.class, Iterable.class,
            Iterator.class);

    /** The methods of {@link #COLLECTIONS} rule code may call: none of them changes the collection. */
    static final Set<String> COLLECTION_READS = Set.of("size", "isEmpty", "contains", "containsAll", "get", "getOrDefault", "containsKey",
            "containsValue", "indexOf", "lastIndexOf", "keySet", "values", "entrySet", "getKey", "getValue", "iterator", "hasNext", "next",
            "equals", "hashCode", "toString");

    /** Members of allowed types that are still refused: engine hooks, system properties, monitors. */
    static final Set<String> DENIED = Set.of(
            "Object.getClass", "Object.wait", "Object.notify", "Object.notifyAll", "Object.finalize", "Object.clone",
            "Enum.getDeclaringClass", "Enum.describeConstable", "Enum.valueOf",
            "Integer.getInteger", "Long.getLong", "Boolean.getBoolean",
            "Assessment.beginRule", "Assessment.getReasons");

    /** Drools' own calls in a consequence, allowed on facts (the fact model needs none of them, but they are harmless). */
    static final Set<String> DROOLS_CALLS = Set.of("insert", "insertLogical", "update", "delete", "retract");

    /** Built-in accumulate functions. Inline accumulate code (init/action/result) is not allowed. */
    static final Set<String> ACCUMULATE_FUNCTIONS = Set.of("sum", "count", "min", "max", "average", "collectList", "collectSet",
            "countDistinct");

    /** Annotations allowed on declared types and fields. */
    static final Set<String> ANNOTATIONS = Set.of("role", "key", "position", "propertyReactive", "classReactive", "timestamp",
            "duration", "expires", "serialVersionUID");

    /** The grading rules' fact model: the facts, the recording API (Assessment) and their code tables. */
    public static final List<Class<?>> GRADING_MODEL = List.of(Assessment.class, Evaluation.class, MerchantFact.class, EventFact.class,
            CaseFact.class, ComplaintFact.class, InspectionFact.class, CreditFact.class, DetectionFact.class, Grade.class, Deduction.class,
            Severity.class, ViolationType.class, ComplaintChannel.class, InspectionOutcome.class, CreditAction.class, DetectionSource.class,
            MerchantCategory.class, KeyUnitType.class, MerchantStatus.class);

    private final Set<Class<?>> types = new LinkedHashSet<>();
    private final Set<Class<?>> model;

    private RuleAllowList(List<Class<?>> model) {
        this.model = Set.copyOf(model);
        types.addAll(model);
        types.addAll(VALUES);
        types.addAll(COLLECTIONS);
    }

    /** The allow-list of the kind whose facts are {@code facts}. */
    public static RuleAllowList of(RuleFacts facts) {
        // A kind declared above grading (the sampling rules, inspection/sampling/SamplingCompiler) brings its own model.
        if (facts.model() != null) return new RuleAllowList(facts.model());
        if (facts == RuleFacts.GRADING || facts.inserted().contains(Assessment.class)) return new RuleAllowList(GRADING_MODEL);
        return new RuleAllowList(facts.inserted());
    }

    public Set<Class<?>> model() {
        return model;
    }

    /** Whether rule code may name the type (primitives and arrays of allowed types included). */
    public boolean allows(Class<?> type) {
        if (type == null) return false;
        while (type.isArray()) type = type.getComponentType();
        if (type.isPrimitive()) return true;
        if (types.contains(type)) return true;
        // An enum constant with a body is a subclass of its enum.
        Class<?> sup = type.getSuperclass();
        return sup != null && sup.isEnum() && types.contains(sup);
    }

    boolean isCollection(Class<?> type) {
        return COLLECTIONS.contains(type);
    }

    /** Whether rule code may call the method on a value (or class) of type {@code owner}. */
    public boolean allows(Class<?> owner, Method m) {
        if (!Modifier.isPublic(m.getModifiers())) return false;
        if (denied(m.getDeclaringClass(), m.getName()) || denied(owner, m.getName())) return false;
        if (isCollection(owner)) return COLLECTION_READS.contains(m.getName());
        if (!allows(owner) && !allows(m.getDeclaringClass())) return false;
        if (!m.getReturnType().equals(void.class) && !allows(m.getReturnType())) return false;
        for (Class<?> p : m.getParameterTypes()) {
            if (!allows(p)) return false;
        }
        return true;
    }

    public boolean allows(Class<?> owner, Field f) {
        return Modifier.isPublic(f.getModifiers()) && allows(owner) && allows(f.getType()) && !denied(owner, f.getName());
    }

    public boolean allows(Constructor<?> c) {
        if (!Modifier.isPublic(c.getModifiers()) || !allows(c.getDeclaringClass()) || isCollection(c.getDeclaringClass())) return false;
        for (Class<?> p : c.getParameterTypes()) {
            if (!allows(p)) return false;
        }
        return true;
    }

    private static boolean denied(Class<?> owner, String member) {
        return owner != null && DENIED.contains(owner.getSimpleName() + "." + member);
    }

    /** Packages a wildcard import may name: those of allowed types (java.lang is implicit). */
    public boolean allowsPackage(String pkg) {
        for (Class<?> t : types) {
            if (t.getPackageName().equals(pkg)) return true;
        }
        return false;
    }
}
