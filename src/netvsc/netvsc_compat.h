/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Networking-layer differences hv_netvsc meets, keyed on probe results:
 *
 *  HAVE_NETIF_NAPI_ADD_WEIGHT   netif_napi_add() takes no weight (v6.1)
 *  HAVE_NETDEV_ETH_HW_ADDR_SET  eth_hw_addr_set() (v5.15)
 *  HAVE_NETDEV_TSO_MAX_SIZE     netif_set_tso_max_size() (v5.19)
 */
#ifndef NETVSC_COMPAT_H
#define NETVSC_COMPAT_H

#ifdef HAVE_NETIF_NAPI_ADD_WEIGHT
#define netvsc_napi_add(dev, napi, poll) netif_napi_add(dev, napi, poll)
#else
#define netvsc_napi_add(dev, napi, poll) netif_napi_add(dev, napi, poll, 64)
#endif

#ifdef HAVE_NETDEV_ETH_HW_ADDR_SET
#define netvsc_set_mac(dev, addr) eth_hw_addr_set(dev, addr)
#else
#define netvsc_set_mac(dev, addr) memcpy((dev)->dev_addr, addr, ETH_ALEN)
#endif

#ifdef HAVE_NETDEV_TSO_MAX_SIZE
#define netvsc_set_tso_max(dev, size) netif_set_tso_max_size(dev, size)
#else
#define netvsc_set_tso_max(dev, size) netif_set_gso_max_size(dev, size)
#endif

#ifndef GSO_LEGACY_MAX_SIZE
#define GSO_LEGACY_MAX_SIZE 65536u
#endif

#endif /* NETVSC_COMPAT_H */
