package cn.urbanmgmt.risk.inspection.visits;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Photos taken at a visit as evidence: stored in PostgreSQL with the result, at most {@link #MAX_PHOTOS}
 * of at most {@link #MAX_BYTES} each, JPEG, PNG or WebP as their first bytes say (not as the file name or
 * the browser claim). Shown to signed-in users who may see the visit or the merchant; never published.
 */
@ApplicationScoped
public class VisitPhotos {

    public static final int MAX_PHOTOS = 6;
    public static final int MAX_BYTES = 5 * 1024 * 1024;

    @Inject
    EntityManager em;

    @Inject
    VisitService visits;

    /** A file as uploaded. */
    public record Upload(String fileName, byte[] data) {
    }

    /** A stored photo without its bytes. */
    public record PhotoRef(long id, long visitId, String contentType, String fileName, int sizeBytes, OffsetDateTime uploadedAt,
                           String uploadedBy) {
    }

    public record Photo(String contentType, byte[] data) {
    }

    /** The image type by magic bytes, or null when it is none of JPEG, PNG, WebP. */
    public static String imageType(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) return "image/jpeg";
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 0x0D && b[5] == 0x0A
                && b[6] == 0x1A && b[7] == 0x0A) return "image/png";
        if (b.length >= 12 && new String(b, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                && new String(b, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) return "image/webp";
        return null;
    }

    /** The problems of a set of uploads, in Chinese, one per bad file. */
    public static List<FieldError> check(List<Upload> uploads) {
        List<FieldError> errors = new ArrayList<>();
        if (uploads.size() > MAX_PHOTOS) {
            errors.add(new FieldError(null, "photos", String.valueOf(uploads.size()), "照片最多 " + MAX_PHOTOS + " 张，本次选择了 " + uploads.size() + " 张"));
        }
        for (int i = 0; i < uploads.size(); i++) {
            Upload u = uploads.get(i);
            String name = u.fileName() == null || u.fileName().isBlank() ? "第 " + (i + 1) + " 张照片" : "照片“" + u.fileName() + "”";
            if (u.data().length == 0) {
                errors.add(new FieldError(null, "photos[" + i + "]", u.fileName(), name + "是空文件"));
            } else if (u.data().length > MAX_BYTES) {
                errors.add(new FieldError(null, "photos[" + i + "]", u.fileName(), name + "太大（" + (u.data().length / 1024 / 1024) + " MB），每张不能超过 "
                        + (MAX_BYTES / 1024 / 1024) + " MB"));
            } else if (imageType(u.data()) == null) {
                errors.add(new FieldError(null, "photos[" + i + "]", u.fileName(), name + "不是 JPEG、PNG 或 WebP 图片"));
            }
        }
        return errors;
    }

    /** Stores checked photos of a visit; runs in the caller's transaction (with the result). */
    public void store(long visitId, long merchantId, List<Upload> uploads, Actor actor) {
        for (Upload u : uploads) {
            String name = u.fileName() == null ? null : u.fileName().length() > 200 ? u.fileName().substring(0, 200) : u.fileName();
            em.createNativeQuery("insert into visit_photo (id, visit_id, merchant_id, content_type, file_name, size_bytes, sha256, data, uploaded_by) "
                            + "values (nextval('visit_photo_seq'), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                    .setParameter(1, visitId).setParameter(2, merchantId).setParameter(3, imageType(u.data())).setParameter(4, name)
                    .setParameter(5, u.data().length).setParameter(6, sha256(u.data())).setParameter(7, u.data())
                    .setParameter(8, actor.username()).executeUpdate();
        }
    }

    public List<PhotoRef> ofVisit(long visitId) {
        return refs("visit_id", visitId);
    }

    public List<PhotoRef> ofMerchant(long merchantId) {
        return refs("merchant_id", merchantId);
    }

    private List<PhotoRef> refs(String column, long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select id, visit_id, content_type, file_name, size_bytes, uploaded_at, uploaded_by "
                    + "from visit_photo where " + column + " = ?1 order by id").setParameter(1, id).getResultList();
            return rows.stream().map(r -> new PhotoRef(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), (String) r[2], (String) r[3],
                    ((Number) r[4]).intValue(), VisitService.toTime(r[5]), (String) r[6])).toList();
        });
    }

    /** One photo for someone who may see its visit or its merchant; otherwise "not found". */
    public Photo get(long photoId, Actor actor, java.util.function.LongPredicate mayMerchant) {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select visit_id, merchant_id, content_type, data from visit_photo where id = ?1")
                    .setParameter(1, photoId).getResultList();
            return rows.isEmpty() ? null : rows.get(0);
        });
        ProblemException missing = ProblemException.notFound("编号为 " + photoId + " 的照片不存在或无权查看");
        if (row == null) throw missing;
        long merchantId = ((Number) row[1]).longValue();
        if (!mayMerchant.test(merchantId)) {
            try {
                visits.get(((Number) row[0]).longValue(), actor);
            } catch (ProblemException e) {
                throw missing;
            }
        }
        return new Photo((String) row[2], (byte[]) row[3]);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
