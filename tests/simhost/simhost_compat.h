/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_simhost: the kernel API differences the simulated host meets, by the
 * results of its own probes (tests/simhost/probes, run by scripts/conftest.sh
 * with HVLIS_PROBE_DIR into gen/compat_autoconf.h; tests/vm/lib/build.sh).
 * The SCSI passthrough of StorVSP: from v5.19 the request's payload is a
 * struct scsi_cmnd with the CDB, before it a struct scsi_request (with the
 * ops REQ_OP_SCSI_IN/OUT before v5.18); RHEL 9's 5.14 allocates with
 * scsi_alloc_request() but keeps struct scsi_request.  For 4.19 also:
 * irq_work and call_single_data initialisers, kmap_local_page(),
 * eth_hw_addr_set(), device_driver_attach() and the request queue as the
 * first argument of blk_execute_rq_nowait(); the legacy (non-mq) request
 * queue.
 */
#ifndef SIMHOST_COMPAT_H
#define SIMHOST_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/irq_work.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <scsi/scsi_cmnd.h>

#ifndef HVLIS_COMPAT_AUTOCONF_H
#error "hv_simhost needs gen/compat_autoconf.h (scripts/conftest.sh; tests/vm/lib/build.sh build_simhost)"
#endif

static inline void sim_init_irq_work_hard(struct irq_work *w,
					  void (*fn)(struct irq_work *))
{
#ifdef HAVE_IRQ_WORK_INIT_HARD
	*w = IRQ_WORK_INIT_HARD(fn);
#else
	init_irq_work(w, fn);	/* no PREEMPT_RT: always run in hard IRQ */
#endif
}

static inline void sim_init_csd(call_single_data_t *csd,
				smp_call_func_t fn, void *info)
{
#ifdef HAVE_INIT_CSD
	INIT_CSD(csd, fn, info);
#else
	memset(csd, 0, sizeof(*csd));
	csd->func = fn;
	csd->info = info;
#endif
}

#ifdef HAVE_KMAP_LOCAL_PAGE
#define sim_kmap(page)	kmap_local_page(page)
#define sim_kunmap(va)	kunmap_local(va)
#else
/* x86_64 only (no highmem): every page has its kernel mapping */
static inline void *sim_kmap(struct page *page)
{
	return page_address(page);
}

static inline void sim_kunmap(void *va)
{
}
#endif

static inline void sim_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
#ifdef HAVE_ETH_HW_ADDR_SET
	eth_hw_addr_set(dev, addr);
#else
	memcpy(dev->dev_addr, addr, ETH_ALEN);
#endif
}

/*
 * Bind dev, released from its driver, to drv.  Without
 * device_driver_attach(): every unbound device of the bus is offered to drv,
 * whose probe accepts only the devices it wants.
 */
static inline int sim_driver_attach(struct device_driver *drv,
				    struct device *dev)
{
#ifdef HAVE_DEVICE_DRIVER_ATTACH
	return device_driver_attach(drv, dev);
#else
	return driver_attach(drv);
#endif
}

/*
 * A passthrough request with the SCSI initialisation run:
 * scsi_alloc_request() (v5.18; RHEL 9's 5.14 also), before it
 * blk_get_request() (the ->initialize_rq_fn).
 */
static inline struct request *sim_scsi_alloc(struct request_queue *q, bool write)
{
#if defined(HAVE_SCSI_ALLOC_REQUEST)
	return scsi_alloc_request(q, write ? REQ_OP_DRV_OUT : REQ_OP_DRV_IN, 0);
#else
#ifdef HAVE_REQ_OP_SCSI_IN
	unsigned int op = write ? REQ_OP_SCSI_OUT : REQ_OP_SCSI_IN;
#else
	unsigned int op = write ? REQ_OP_DRV_OUT : REQ_OP_DRV_IN;
#endif

#ifdef HAVE_BLK_GET_REQUEST
	return blk_get_request(q, op, 0);
#else
	return blk_mq_alloc_request(q, op, 0);
#endif
#endif
}

#ifdef HAVE_SCSI_CMND_CDB_ARRAY
/* v5.19: the CDB, result, residual and sense are the scsi_cmnd's */
static inline void sim_scsi_set_cdb(struct request *rq, const u8 *cdb, u8 len)
{
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);

	scmd->cmd_len = len;
	memcpy(scmd->cmnd, cdb, len);
	scmd->allowed = 0;	/* retries are the guest's business */
}

/* result, residual and sense of a finished request */
static inline int sim_scsi_result(struct request *rq, u32 *resid, u8 *sense)
{
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);

	*resid = scmd->resid_len;
	memcpy(sense, scmd->sense_buffer, SCSI_SENSE_BUFFERSIZE);
	return scmd->result;
}
#else
/* before: struct scsi_request (scsi_req()) holds them */
static inline void sim_scsi_set_cdb(struct request *rq, const u8 *cdb, u8 len)
{
	struct scsi_request *sreq = scsi_req(rq);

	sreq->cmd_len = len;
	memcpy(sreq->cmd, cdb, len);
	sreq->retries = 0;	/* retries are the guest's business */
}

static inline int sim_scsi_result(struct request *rq, u32 *resid, u8 *sense)
{
	struct scsi_request *sreq = scsi_req(rq);

	*resid = sreq->resid_len;
	memset(sense, 0, SCSI_SENSE_BUFFERSIZE);
	memcpy(sense, sreq->sense, min_t(u32, sreq->sense_len, SCSI_SENSE_BUFFERSIZE));
	return sreq->result;
}
#endif

/*
 * Free a request that was never started.  Before v5.0 the request may come
 * from the legacy (non-mq) queue: blk_put_request() frees either kind.
 */
static inline void sim_scsi_free(struct request *rq)
{
#ifdef HAVE_BLK_PUT_REQUEST_LOCKED
	blk_put_request(rq);
#else
	blk_mq_free_request(rq);
#endif
}

/* Called when a request run by sim_scsi_execute() ends (storvsp.c). */
void sim_scsi_done(struct request *rq, blk_status_t err);

/* The block layer's end_io: sim_scsi_done(), then the request is freed. */
#ifdef HAVE_RQ_END_IO_RET
static inline enum rq_end_io_ret sim_scsi_end_io(struct request *rq,
						 blk_status_t err)
{
	sim_scsi_done(rq, err);
	return RQ_END_IO_FREE;
}
#else
static inline void sim_scsi_end_io(struct request *rq, blk_status_t err)
{
	sim_scsi_done(rq, err);
#ifdef HAVE_BLK_PUT_REQUEST_LOCKED
	/* a legacy queue calls end_io with its lock held */
	__blk_put_request(rq->q, rq);
#else
	blk_mq_free_request(rq);
#endif
}
#endif

static inline void sim_scsi_execute(struct request *rq, void *data)
{
	rq->end_io_data = data;
#if defined(HAVE_BLK_EXECUTE_RQ_NOWAIT_END_IO)
	rq->end_io = sim_scsi_end_io;
	blk_execute_rq_nowait(rq, false);
#elif defined(HAVE_BLK_EXECUTE_RQ_NOWAIT_DISK)
	blk_execute_rq_nowait(NULL, rq, 0, sim_scsi_end_io);
#elif defined(HAVE_BLK_EXECUTE_RQ_NOWAIT_QUEUE)
	blk_execute_rq_nowait(rq->q, NULL, rq, 0, sim_scsi_end_io);
#else
	blk_execute_rq_nowait(rq, false, sim_scsi_end_io);
#endif
}

#endif /* SIMHOST_COMPAT_H */
