// SPDX-License-Identifier: GPL-2.0
/*
 * pcssim kernel check: a MAC driver. probe() looks up the PCS (or creates
 * its own, for self-pin), holds it according to the lifetime strategy of
 * the "strategy" parameter, creates eth0 with a phylink instance in
 * in-band SGMII mode whose mac_select_pcs() returns that PCS, and, with
 * netdevs=2, a second netdev without a PCS (the port the root filesystem
 * would be mounted over). remove() undoes it in the in-tree order:
 * unregister_netdev, phylink_destroy, drop the PCS.
 *
 * Strategies (the ones a 6.1 kernel can express):
 *   none            bare pointer
 *   device-ref      get_device() on the PCS device
 *   module-ref      try_module_get() of the PCS driver's module + get_device()
 *   device-link     managed device link MAC -> PCS (DL_FLAG_AUTOREMOVE_CONSUMER)
 *   phylink-notify  the PCS core tells the MAC, which takes rtnl, stops
 *                   phylink, forgets the PCS and restarts phylink (and picks a
 *                   re-registered PCS up the same way)
 *   self-pin        the MAC creates its own PCS and "gets" it: try_module_get()
 *                   of its own module
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/rtnetlink.h>
#include "pcssim.h"

static char *strategy = "none";
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "none, device-ref, module-ref, device-link, phylink-notify or self-pin");
static int netdevs = 1;
module_param(netdevs, int, 0444);
MODULE_PARM_DESC(netdevs, "1, or 2 for a second netdev without a PCS");

struct pcssim_mac {
	struct device *dev;
	struct net_device *nd, *nd2;
	struct phylink *pl;
	struct phylink_config cfg;
	struct phylink_pcs *pcs;
	struct device *pcs_dev;
	struct module *pcs_owner;
	struct phylink_pcs own_pcs;
	struct pcssim_pcs_client client;
};

struct pcssim_ndev {
	struct pcssim_mac *mac;
};

static struct phylink_pcs *pcssim_select_pcs(struct phylink_config *config, phy_interface_t interface)
{
	return container_of(config, struct pcssim_mac, cfg)->pcs;
}

static void pcssim_mac_config(struct phylink_config *config, unsigned int mode,
			      const struct phylink_link_state *state)
{
}

static void pcssim_link_down(struct phylink_config *config, unsigned int mode, phy_interface_t interface)
{
}

static void pcssim_link_up(struct phylink_config *config, struct phy_device *phy, unsigned int mode,
			   phy_interface_t interface, int speed, int duplex, bool tx_pause, bool rx_pause)
{
}

static const struct phylink_mac_ops pcssim_mac_ops = {
	.validate = phylink_generic_validate,
	.mac_select_pcs = pcssim_select_pcs,
	.mac_config = pcssim_mac_config,
	.mac_link_down = pcssim_link_down,
	.mac_link_up = pcssim_link_up,
};

static int pcssim_open(struct net_device *nd)
{
	struct pcssim_ndev *p = netdev_priv(nd);

	if (p->mac && nd == p->mac->nd) {
		if (p->mac->pl)
			phylink_start(p->mac->pl);
	} else
		netif_carrier_on(nd);
	return 0;
}

static int pcssim_stop(struct net_device *nd)
{
	struct pcssim_ndev *p = netdev_priv(nd);

	if (p->mac && nd == p->mac->nd && p->mac->pl)
		phylink_stop(p->mac->pl);
	return 0;
}

static netdev_tx_t pcssim_xmit(struct sk_buff *skb, struct net_device *nd)
{
	dev_kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops pcssim_netdev_ops = {
	.ndo_open = pcssim_open,
	.ndo_stop = pcssim_stop,
	.ndo_start_xmit = pcssim_xmit,
};

/* The self-pin MAC's own PCS: its ops live in this module. */
static void pcssim_own_get_state(struct phylink_pcs *pcs, struct phylink_link_state *state)
{
	state->link = 1;
	state->speed = SPEED_1000;
	state->duplex = DUPLEX_FULL;
	state->an_complete = 1;
}

static int pcssim_own_config(struct phylink_pcs *pcs, unsigned int mode, phy_interface_t interface,
			     const unsigned long *advertising, bool permit_pause_to_mac)
{
	return 0;
}

static void pcssim_own_an_restart(struct phylink_pcs *pcs)
{
}

static const struct phylink_pcs_ops pcssim_own_ops = {
	.pcs_get_state = pcssim_own_get_state,
	.pcs_config = pcssim_own_config,
	.pcs_an_restart = pcssim_own_an_restart,
};

/*
 * phylink-notify: swap the PCS with phylink stopped, under rtnl.
 *
 * On 6.1, phylink cannot be told to forget a PCS: phylink_major_config()
 * only updates pl->pcs when mac_select_pcs() returns a different non-NULL
 * PCS, so returning NULL leaves the freed PCS in pl->pcs (observed: the
 * first version of this function, which only stopped and restarted phylink,
 * oopsed in phylink_mac_pcs_get_state). Until phylink_release_pcs() exists,
 * the MAC recreates its phylink instance, which is what that function does
 * for it in the proposals.
 */
static void pcssim_swap_pcs(struct pcssim_mac *m, struct phylink_pcs *pcs)
{
	struct phylink *pl;
	bool running;

	rtnl_lock();
	running = netif_running(m->nd);
	if (running)
		phylink_stop(m->pl);
	phylink_destroy(m->pl);
	m->pcs = pcs;
	pl = phylink_create(&m->cfg, NULL, PHY_INTERFACE_MODE_SGMII, &pcssim_mac_ops);
	if (IS_ERR(pl)) {
		dev_err(m->dev, "phylink_create: %pe\n", pl);
		m->pl = NULL;
	} else {
		m->pl = pl;
		if (running)
			phylink_start(m->pl);
	}
	rtnl_unlock();
}

static void pcssim_release(void *data)
{
	pcssim_swap_pcs(data, NULL);
}

static void pcssim_available(void *data, struct phylink_pcs *pcs)
{
	pcssim_swap_pcs(data, pcs);
}

static struct net_device *pcssim_new_netdev(struct pcssim_mac *m, const char *name)
{
	struct net_device *nd = alloc_netdev(sizeof(struct pcssim_ndev), name, NET_NAME_USER, ether_setup);
	struct pcssim_ndev *p;

	if (!nd)
		return NULL;
	p = netdev_priv(nd);
	p->mac = m;
	nd->netdev_ops = &pcssim_netdev_ops;
	eth_hw_addr_random(nd);
	SET_NETDEV_DEV(nd, m->dev);
	return nd;
}

static int pcssim_take_pcs(struct pcssim_mac *m)
{
	struct phylink_pcs *pcs;

	if (!strcmp(strategy, "self-pin")) {
		m->own_pcs.ops = &pcssim_own_ops;
		m->own_pcs.poll = true;
		m->pcs = &m->own_pcs;
		__module_get(THIS_MODULE); /* the MAC "gets" the PCS it created */
		return 0;
	}
	pcs = pcssim_pcs_find(&m->pcs_dev, &m->pcs_owner);
	if (IS_ERR(pcs))
		return PTR_ERR(pcs);
	if (!strcmp(strategy, "module-ref")) {
		if (!try_module_get(m->pcs_owner))
			return -ENODEV;
		get_device(m->pcs_dev);
	} else if (!strcmp(strategy, "device-ref")) {
		get_device(m->pcs_dev);
	} else if (!strcmp(strategy, "device-link")) {
		if (!device_link_add(m->dev, m->pcs_dev, DL_FLAG_AUTOREMOVE_CONSUMER))
			return -EINVAL;
	} else if (!strcmp(strategy, "phylink-notify")) {
		m->client.release = pcssim_release;
		m->client.available = pcssim_available;
		m->client.data = m;
		pcssim_pcs_watch(&m->client);
	}
	m->pcs = pcs;
	return 0;
}

static void pcssim_put_pcs(struct pcssim_mac *m)
{
	if (!strcmp(strategy, "self-pin")) {
		module_put(THIS_MODULE);
	} else if (!strcmp(strategy, "module-ref")) {
		put_device(m->pcs_dev);
		module_put(m->pcs_owner);
	} else if (!strcmp(strategy, "device-ref")) {
		put_device(m->pcs_dev);
	} else if (!strcmp(strategy, "phylink-notify")) {
		pcssim_pcs_watch(NULL);
	}
	m->pcs = NULL;
}

static int pcssim_mac_probe(struct platform_device *pdev)
{
	struct pcssim_mac *m;
	int err;

	m = devm_kzalloc(&pdev->dev, sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->dev = &pdev->dev;
	platform_set_drvdata(pdev, m);
	err = pcssim_take_pcs(m);
	if (err)
		return err;
	err = -ENOMEM;
	m->nd = pcssim_new_netdev(m, "eth0");
	if (!m->nd)
		goto put;
	m->cfg.dev = &m->nd->dev;
	m->cfg.type = PHYLINK_NETDEV;
	m->cfg.ovr_an_inband = true;
	m->cfg.mac_capabilities = MAC_1000FD | MAC_SYM_PAUSE;
	__set_bit(PHY_INTERFACE_MODE_SGMII, m->cfg.supported_interfaces);
	m->pl = phylink_create(&m->cfg, NULL, PHY_INTERFACE_MODE_SGMII, &pcssim_mac_ops);
	if (IS_ERR(m->pl)) {
		err = PTR_ERR(m->pl);
		goto free;
	}
	err = register_netdev(m->nd);
	if (err)
		goto destroy;
	if (netdevs == 2) {
		m->nd2 = pcssim_new_netdev(m, "eth1");
		if (m->nd2 && register_netdev(m->nd2)) {
			free_netdev(m->nd2);
			m->nd2 = NULL;
		}
	}
	return 0;
destroy:
	phylink_destroy(m->pl);
free:
	free_netdev(m->nd);
put:
	pcssim_put_pcs(m);
	return err;
}

static int pcssim_mac_remove(struct platform_device *pdev)
{
	struct pcssim_mac *m = platform_get_drvdata(pdev);

	if (m->nd2) {
		unregister_netdev(m->nd2);
		free_netdev(m->nd2);
	}
	unregister_netdev(m->nd);
	if (m->pl)
		phylink_destroy(m->pl);
	pcssim_put_pcs(m);
	free_netdev(m->nd);
	return 0;
}

static struct platform_driver pcssim_mac_driver = {
	.probe = pcssim_mac_probe,
	.remove = pcssim_mac_remove,
	.driver = { .name = "pcssim-mac" },
};
module_platform_driver(pcssim_mac_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcssim kernel check: MAC driver with selectable PCS lifetime strategy");
