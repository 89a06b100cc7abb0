// SPDX-License-Identifier: GPL-2.0-only
/*
 * MODULE_IMPORT_NS() takes a bare identifier (and stringifies it); added in
 * v5.4 (commit 8651ec01daed "module: add support for symbol namespaces."),
 * changed to take a string literal in v6.13 (commit cdd30ebb1b9f "module:
 * Convert symbol namespace to string literal").  The string form cannot be
 * probed directly (a literal stringified again still compiles), so this
 * probes the old form: it fails both before v5.4 and from v6.13 on.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(HVLIS_PROBE_NS);
