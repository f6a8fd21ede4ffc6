/** Exit codes shared by every subcommand. */
/** The check passed (allowed), or the audit found nothing of medium severity or above. */
export const EXIT_OK = 0;
/** The check failed (blocked), or the audit found something of medium severity or above. */
export const EXIT_FAIL = 1;
/** Bad usage or a network error: no verdict could be given. */
export const EXIT_USAGE = 2;
