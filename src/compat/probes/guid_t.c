// SPDX-License-Identifier: GPL-2.0-only
/* guid_t, GUID_INIT(), guid_equal(), guid_copy(), guid_parse(); added in v4.13 (uuid_t/guid_t rework replacing uuid_le) */
#include <linux/uuid.h>

static const guid_t hvlis_g = GUID_INIT(0x01020304, 0x0506, 0x0708, 0x09, 0x0a,
					0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10);

bool hvlis_probe(guid_t *out, const char *s)
{
	guid_t tmp;

	guid_copy(&tmp, &hvlis_g);
	return guid_parse(s, out) == 0 && guid_equal(out, &tmp);
}
