package dev.tollgate.account;

/** Roles carried in the token's groups claim. A token without groups is a plain user. */
public final class Roles {

    /** An end user: reads and changes its own account only. */
    public static final String USER = "user";
    /** Another backend of the product: may act on any account id named in the request. */
    public static final String SERVICE = "service";
    /** An operator: the /v1/admin API. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
