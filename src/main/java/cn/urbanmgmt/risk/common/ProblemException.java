package cn.urbanmgmt.risk.common;

import java.util.List;

/** A failure the caller can act on; turned into an RFC 9457 response by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(400, "请求有误", detail));
    }

    /** A JSON request's body, or a 400 when there is none; {@code what} names what to submit (zh-CN, e.g. "商户信息"). */
    public static <T> T requireBody(T body, String what) {
        if (body == null) throw badRequest("请求体不能为空，请提交" + what + "（JSON）");
        return body;
    }

    public static ProblemException validation(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(Problem.of(400, "输入校验未通过", detail).withErrors(errors));
    }

    public static ProblemException invalidField(String field, String message) {
        return validation(message, List.of(Problem.FieldError.of(field, message)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "未找到", detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "与现有数据冲突", detail));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "无权访问", detail));
    }
}
