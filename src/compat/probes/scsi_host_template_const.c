// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_alloc() takes a const struct scsi_host_template and Scsi_Host.hostt is const; changed in v6.4 ("scsi: core: Declare SCSI host template pointer members const") */
#include <scsi/scsi_host.h>

#define HVLIS_SAME(a, b) __builtin_types_compatible_p(typeof(a), b)

_Static_assert(HVLIS_SAME(scsi_host_alloc,
			  struct Scsi_Host *(const struct scsi_host_template *, int)),
	       "scsi_host_alloc");
_Static_assert(HVLIS_SAME(((struct Scsi_Host *)0)->hostt, const struct scsi_host_template *),
	       "Scsi_Host.hostt");
