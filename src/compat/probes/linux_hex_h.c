// SPDX-License-Identifier: GPL-2.0-only
/* <linux/hex.h>: hex_to_bin() and friends moved out of <linux/kernel.h> after v6.12 (7.1.5 has it); before, kernel.h declares them */
#include <linux/hex.h>

int hvlis_probe(char c)
{
	return hex_to_bin(c);
}
