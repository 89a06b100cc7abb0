// SPDX-License-Identifier: GPL-2.0-only
/* EPOLLIN/EPOLLRDNORM/EPOLLERR/EPOLLHUP for ->poll masks, through <linux/poll.h>; added in v4.16 (POLLIN and friends before; absent from the 4.14.67 snapshot's kernel view, present in 4.19.255: symbols-since.txt) */
#include <linux/fs.h>
#include <linux/poll.h>

unsigned int hvlis_probe(void)
{
	return (__force unsigned int)(EPOLLIN | EPOLLRDNORM | EPOLLERR | EPOLLHUP |
				      EPOLLOUT | EPOLLWRNORM);
}
