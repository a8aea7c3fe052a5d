/** Kept in step with package.json by the release process; read without importing JSON at startup. */
export const VERSION = '0.1.0';
