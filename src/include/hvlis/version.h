/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HVLIS_VERSION_H
#define HVLIS_VERSION_H
/* The one place the package version is written; packaging reads it. */
#define HVLIS_VERSION "0.1.0"
#endif
