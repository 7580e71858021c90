/** What a tenant id may be: it is set with `set_config` for each transaction and compared by row-level security. */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;
