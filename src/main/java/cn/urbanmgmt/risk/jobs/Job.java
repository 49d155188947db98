package cn.urbanmgmt.risk.jobs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A long piece of work split into chunks that any instance may claim. */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {

    public enum Status { RUNNING, DONE, FAILED, CANCELLED }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "job_seq")
    @SequenceGenerator(name = "job_seq", sequenceName = "job_seq", allocationSize = 50)
    public Long id;
    public String type;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
    public long total;
    public long done;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> params;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> result;
    public String error;
    @Column(name = "dedupe_key")
    public String dedupeKey;
}
