// SPDX-License-Identifier: GPL-2.0-only
/*
 * Standard Hyper-V device classes whose host side is not written yet:
 * they are offered with the right GUIDs and flags, accept open and close,
 * and ignore every packet.  When a real VSP is added (storvsp.c, ...),
 * move its class object there and delete it here.
 */
#include "hv_devids.h"
#include "simhost.h"
#include "vmbus_msg.h"

/* Integration components are message-mode pipes */
#define IC_FLAGS (VMBUS_OFFER_ENUMERATE_DEVICE_INTERFACE | \
		  VMBUS_OFFER_NAMED_PIPE_MODE)

#define IC_CLASS(var, cname, cid, guid)				\
	const struct sim_dev_class var = {				\
		.name = cname,						\
		.id = cid,						\
		.if_type = guid,					\
		.chn_flags = IC_FLAGS,					\
		.pipe_mode = VMBUS_PIPE_TYPE_MESSAGE,			\
	}

#define PLAIN_CLASS(var, cname, cid, guid)				\
	const struct sim_dev_class var = {				\
		.name = cname,						\
		.id = cid,						\
		.if_type = guid,					\
	}

PLAIN_CLASS(sim_ide_class, "ide", 0x0a, HV_IDE_GUID);
PLAIN_CLASS(sim_dm_class, "dm", 0x0b, HV_DM_GUID);
PLAIN_CLASS(sim_kbd_class, "kbd", 0x0c, HV_KBD_GUID);
PLAIN_CLASS(sim_mouse_class, "mouse", 0x0d, HV_MOUSE_GUID);
PLAIN_CLASS(sim_synthvid_class, "synthvid", 0x0e, HV_SYNTHVID_GUID);
PLAIN_CLASS(sim_synthfc_class, "synthfc", 0x0f, HV_SYNTHFC_GUID);
