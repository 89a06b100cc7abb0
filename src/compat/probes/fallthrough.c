// SPDX-License-Identifier: GPL-2.0-only
/* the fallthrough pseudo keyword; added in v5.4 (commit 294f69e662d1 "compiler_attributes.h: Add 'fallthrough' pseudo keyword for switch/case use") */
#include <linux/compiler.h>

int hvlis_probe(int x)
{
	switch (x) {
	case 0:
		x++;
		fallthrough;
	case 1:
		return x;
	}
	return 0;
}
