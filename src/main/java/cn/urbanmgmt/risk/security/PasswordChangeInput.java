package cn.urbanmgmt.risk.security;

/** An officer's own password change. */
public record PasswordChangeInput(String currentPassword, String newPassword) {
}
